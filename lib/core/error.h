// The one error type that crosses module boundaries. Translated exactly once per boundary:
// HTTP status (daemon/http_status.cc), CLI exit code (cmd/tseeder/exit_codes.cc), plugin status.
#pragma once
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace tseeder {

enum class Errc {
  invalid_argument,  // the caller sent something wrong; nothing changed
  not_found,
  conflict,  // valid request, but not in the current state (e.g. pause a completed job)
  payload_too_large,
  unsupported,  // well-formed but not something we handle (scheme, media type)
  unavailable,  // a dependency is down or unreachable; trying later may work
  io,           // local disk or file trouble
  config,       // bad configuration: names the key and the line
  store,        // database trouble
  plugin,       // a plugin could not be loaded or misbehaved
  internal,
  unauthenticated,  // no credentials, or ones that are not (or no longer) valid
  forbidden,        // authenticated, but this is not allowed for this caller
  rate_limited,     // too many requests; Error::retry_after_s says when to come back
  misdirected,      // the request names a host this daemon does not answer for
  // Over a limit of the caller's plan (see tseeder usage); the codes name which one.
  quota_jobs,
  quota_storage,
  quota_file_size,
  quota_bandwidth,
  blocked,          // the content is on the operator's blocklist
  not_implemented,  // a route or feature this build does not have yet
};

std::string_view errc_name(Errc code);  // stable, upper-case code used in JSON errors
// The code back from its name (as a client reads it from a JSON error); nullopt when unknown.
std::optional<Errc> parse_errc_name(std::string_view name);

class Error : public std::runtime_error {
 public:
  Error(Errc code, std::string message, std::string hint = {}, std::string field = {});
  Errc code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }
  const std::string& hint() const noexcept { return hint_; }
  const std::string& field() const noexcept { return field_; }
  // Seconds after which trying again can succeed (rate limits, lockouts); 0 = not said.
  long retry_after_s() const noexcept { return retry_after_s_; }
  Error& retry_after(long seconds) noexcept {
    retry_after_s_ = seconds;
    return *this;
  }

 private:
  Errc code_;
  std::string message_;
  std::string hint_;
  std::string field_;
  long retry_after_s_ = 0;
};

}  // namespace tseeder
