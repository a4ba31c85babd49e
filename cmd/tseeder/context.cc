#include "context.h"

#include "credentials_file.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>

#include <cstdlib>

#include "core/error.h"
#include "core/ids.h"
#include "core/runtime_paths.h"
#include "exit_codes.h"

namespace tseeder::cli {

namespace {
constexpr const char* kDefaultSocket = "var/tseederd.sock";

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

bool is_socket(const std::string& path) {
  struct stat st {};
  return !path.empty() && ::stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

Errc errc_for_status(long status) {
  switch (status) {
    case 400:
      return Errc::invalid_argument;
    case 401:
      return Errc::unauthenticated;
    case 403:
      return Errc::forbidden;
    case 404:
      return Errc::not_found;
    case 421:
      return Errc::misdirected;
    case 429:
      return Errc::rate_limited;
    case 409:
      return Errc::conflict;
    case 413:
      return Errc::payload_too_large;
    case 501:
      return Errc::not_implemented;
    case 503:
      return Errc::unavailable;
    default:
      return Errc::internal;
  }
}
}  // namespace

void Context::apply_environment() {
  if (api_key.empty()) api_key = env("TSEEDER_API_KEY");
  if (!url.empty() || !socket.empty()) {
    found_via_ = url.empty() ? "--socket" : "--url";
  } else if (url = env("TSEEDER_URL"), socket = env("TSEEDER_SOCKET"); !url.empty() || !socket.empty()) {
    found_via_ = url.empty() ? "TSEEDER_SOCKET" : "TSEEDER_URL";
  }
  // A saved login (tseeder login) applies when nothing else names a daemon, or to its own URL.
  auto saved = load_login();
  if (saved && saved->url.empty()) saved.reset();
  if (saved && url.empty() && socket.empty()) {
    url = saved->url;
    found_via_ = "the saved login";
  }
  if (saved && api_key.empty() && url == saved->url) api_key = saved->api_key;
  if (!url.empty() || !socket.empty()) return;
  tried_ = "--socket/--url (not given), TSEEDER_SOCKET/TSEEDER_URL (not set), a saved login (none)";
  for (const std::string& candidate : {std::string(kDefaultSocket), advertised_socket_path()}) {
    if (candidate.empty()) continue;
    if (is_socket(candidate)) {
      socket = candidate;
      found_via_ = candidate;
      return;
    }
    tried_ += ", " + candidate + " (no socket there)";
  }
}

net::HttpClient& Context::client() {
  if (!client_) {
    if (url.empty() && socket.empty())
      throw Error(Errc::unavailable, "cannot find a tseederd to talk to; tried " + tried_,
                  "start one with `make run`, or name it with --socket PATH or --url URL");
    net::Endpoint ep;
    if (!url.empty()) {
      ep.base_url = url;
      while (!ep.base_url.empty() && ep.base_url.back() == '/') ep.base_url.pop_back();
    } else {
      ep.unix_socket = socket;
    }
    ep.api_key = api_key;
    ep.found_via = found_via_;
    client_ = std::make_unique<net::HttpClient>(ep);
  }
  return *client_;
}

std::string Context::job_id(const std::string& typed) {
  if (auto known = job_ids_.find(typed); known != job_ids_.end()) return known->second;
  std::string id = typed;
  std::transform(id.begin(), id.end(), id.begin(), [](unsigned char c) { return std::tolower(c); });
  if (id.size() < 4 || id.size() > 16 || !is_lower_hex(id, id.size()))
    throw Error(Errc::not_found, "job " + typed + " not found",
                "job ids are 16 hex characters (the first 4 or more will do); see `tseeder ls`");
  if (id.size() < 16) {
    const auto res = call("GET", "/jobs?idPrefix=" + id + "&limit=3");
    const auto& jobs = res["jobs"];
    if (jobs.empty()) throw Error(Errc::not_found, "no job id begins with " + typed, "see `tseeder ls`");
    if (jobs.size() > 1) {
      std::string some;
      for (const auto& j : jobs) some += (some.empty() ? "" : ", ") + j.value("id", "");
      throw Error(Errc::invalid_argument,
                  "job id prefix " + typed + " is ambiguous: " + std::to_string(res.value("total", 0)) +
                      " jobs begin so (" + some + (res.value("total", 0) > 3 ? ", …" : "") + ")",
                  "type more of the id");
    }
    id = jobs[0].value("id", "");
  }
  job_ids_[typed] = id;
  return id;
}

void throw_api_error(const net::HttpResponse& res) {
  auto j = Json::parse(res.body, nullptr, false);
  std::string message = "daemon answered HTTP " + std::to_string(res.status);
  if (j.is_object() && j.contains("error") && j["error"].is_object() && j["error"].contains("message"))
    message = j["error"]["message"].get<std::string>();
  if (res.status == 501) message += " (not implemented yet)";
  // The code the daemon names (QUOTA_STORAGE, BLOCKED) says more than the status it shares with
  // others; the status stands in for codes this CLI does not know.
  std::optional<Errc> named;
  if (j.is_object() && j.contains("error") && j["error"].is_object() && j["error"].value("code", Json()).is_string())
    named = parse_errc_name(j["error"]["code"].get<std::string>());
  Errc code = named.value_or(errc_for_status(res.status));
  // Exit 4 (daemon unreachable) means no answer came. A daemon that answers that something it
  // needs is off (mail for register, a storage backend) is reachable: an error like others.
  if (code == Errc::unavailable) code = Errc::internal;
  throw Error(code, message);
}

Json Context::call(std::string_view method, const std::string& path, const Json& body) {
  auto res = client().request(method, path, body.is_null() ? std::string() : body.dump());
  if (res.status >= 400) throw_api_error(res);
  if (res.body.empty()) return Json::object();
  auto j = Json::parse(res.body, nullptr, false);
  if (j.is_discarded()) throw Error(Errc::internal, "daemon sent a body that is not JSON");
  return j;
}

Json Context::call_all(const std::string& path, const std::string& key) {
  return rest_of(call("GET", path), key);
}

Json Context::rest_of(Json page, const std::string& key) {
  Json all = Json::array();
  for (;;) {
    for (auto& item : page[key]) all.push_back(std::move(item));
    if (!page.value("next", Json()).is_string()) return all;
    page = call("GET", page["next"].get<std::string>());
  }
}

}  // namespace tseeder::cli
