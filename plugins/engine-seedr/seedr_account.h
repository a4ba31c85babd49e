// The operator's Seedr account: its tokens (a device-code login kept in DATA_DIR/secrets, or the
// password grant from config/env), the calls of the resource API with retries, and its health.
// One per plugin; every job shares it. Thread-safe.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "seedr_http.h"

namespace tseeder::engine_seedr {

using Json = nlohmann::json;

struct AccountSettings {
  std::string base_url = "https://www.seedr.cc";
  std::string client_id = "seedr_chrome";       // the password grant's client, as public clients send it
  std::string device_client_id = "seedr_xbmc";  // the device-code client
  std::string email, password;                  // empty: no password grant
  std::string secrets_path;                     // where a device login's refresh token is kept (0600)
  HttpSettings http;
  int attempts = 5;            // of a call answered 5xx/429 or cut off, before it fails
  long backoff_base_ms = 500;  // doubles with each attempt
  long backoff_cap_ms = 30'000;
  long recheck_credentials_s = 60;  // rejected credentials are not tried again sooner
};

// Stops a job's waits early: every sleep of a job goes through one of these.
class Stopper {
 public:
  // false when stop was requested (at once, or during the wait).
  bool sleep(std::chrono::milliseconds d);
  void request();
  bool stopping() const { return stop_.load(); }
  const std::atomic<bool>* flag() const { return &stop_; }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  std::atomic<bool> stop_{false};
};

// The job's wait was cut short by stop().
struct Stopped {};

// No credentials that work: the provider is unhealthy and jobs wait (the reason says what to do).
struct AuthError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The service failed a call, or answered what we cannot use.
struct ServiceError : std::runtime_error {
  ServiceError(const std::string& what, bool retry) : std::runtime_error(what), retryable(retry) {}
  bool retryable;
};

class Account {
 public:
  explicit Account(AccountSettings s);

  // POSTs `func` to the resource API and answers its JSON. Retries connection errors, 5xx and
  // 429 with backoff; an expired access token is refreshed once and the call made again. Throws
  // AuthError, ServiceError or Stopped. `attempts` 0: as configured.
  Json call(const std::string& func, const Form& form, Stopper& stop, const FilePart* file = nullptr, int attempts = 0);
  // GETs a URL the service handed out (a progress URL), JSONP or JSON.
  Json get_url(const std::string& url, Stopper& stop);

  bool healthy();
  std::string unhealthy_reason();
  // Grows each time new credentials arrive (a device login), so waiting jobs try again at once.
  std::uint64_t credentials_generation() const { return generation_.load(); }

  // The provider requests of the plugin ABI, as JSON text.
  std::string status();
  std::string login_start();
  std::string login_poll();

 private:
  // With mu_ held; `http` carries the calling job's stop flag.
  std::string access_token(const HttpSettings& http);
  void token_from(const HttpResponse& r, const std::string& via);
  bool refresh(const HttpSettings& http);
  void password_grant(const HttpSettings& http);
  void save_refresh_token();
  void load_refresh_token();
  HttpResponse send(const HttpSettings& http, const std::string& func, const Form& form, const FilePart* file,
                    const std::string& token);
  HttpSettings http_for(const Stopper& stop) const;

  const AccountSettings s_;
  std::mutex mu_;
  std::string access_, refresh_, via_;  // via_: "device" or "password"
  std::chrono::steady_clock::time_point access_expires_{};
  std::string unhealthy_;  // empty: healthy as far as we know
  std::chrono::steady_clock::time_point rejected_at_{};
  bool rejected_ = false;
  std::string device_code_;
  std::chrono::steady_clock::time_point device_expires_{};
  std::atomic<std::uint64_t> generation_{0};
};

// Backoff before attempt `n` (1-based: n = 1 is the first retry).
std::chrono::milliseconds backoff(const AccountSettings& s, int n);

}  // namespace tseeder::engine_seedr
