// What every command shares: global flags and the API client.
#pragma once
#include <map>
#include <memory>
#include <string>

#include "core/json_util.h"
#include "net/http_client.h"

namespace tseeder::cli {

// The help group of the flags every command takes (--socket, --url, --api-key, --json).
inline constexpr const char* kGlobalOptions = "Global options";
// How the CLI finds its daemon, for --help and the man page.
inline constexpr const char* kFindingTheDaemon =
    "The daemon is found through --socket or --url, then TSEEDER_SOCKET or TSEEDER_URL, then the saved login "
    "(tseeder login), then ./var/tseederd.sock, then the socket a local tseederd links from "
    "$XDG_RUNTIME_DIR/tseeder/ (/run/tseeder/ for root).";

struct Context {
  std::string socket;     // --socket / TSEEDER_SOCKET
  std::string url;        // --url / TSEEDER_URL (wins over the socket when set)
  std::string api_key;    // --api-key / TSEEDER_API_KEY
  bool json = false;      // --json
  bool no_color = false;  // --no-color (NO_COLOR in the environment too)
  int exit_status = 0;    // set by a command that ends without an Error but not with success

  // Finds the daemon when no flag names it: TSEEDER_SOCKET/TSEEDER_URL, the saved login,
  // ./var/tseederd.sock, then the link a local daemon keeps (advertised_socket_path()).
  void apply_environment();
  net::HttpClient& client();
  // Calls the API; a JSON error answer becomes Error with the daemon's message.
  Json call(std::string_view method, const std::string& path, const Json& body = nullptr);
  // GET of a paged list, following each page's `next` link: every item of `key` on every page.
  Json call_all(const std::string& path, const std::string& key);
  // Every item of `key` on `page` (an answer already in hand) and on the pages its link leads to.
  Json rest_of(Json page, const std::string& key);
  // The job a person named: a whole id, or a unique prefix of 4 or more characters (as git
  // takes). Not found: Errc::not_found; a prefix of several jobs: invalid_argument naming them.
  std::string job_id(const std::string& typed);
  // "/jobs/{id}{tail}" for the job `typed` names; nothing typed becomes part of a URL.
  std::string job_path(const std::string& typed, const std::string& tail = "") {
    return "/jobs/" + job_id(typed) + tail;
  }

 private:
  std::string found_via_;  // where the address came from, for "cannot reach" messages
  std::string tried_;      // what was looked at when nothing was found
  std::unique_ptr<net::HttpClient> client_;
  std::map<std::string, std::string> job_ids_;  // what was typed → the id it named
};

// Turns an HTTP error answer into the project's Error.
[[noreturn]] void throw_api_error(const net::HttpResponse& res);

}  // namespace tseeder::cli
