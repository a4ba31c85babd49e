#include "seedr_account.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace tseeder::engine_seedr {
namespace {

using Clock = std::chrono::steady_clock;

const char* kCredentialsHint =
    "run `tseeder admin provider login seedr`, or set seedr.email and seedr.password (or "
    "TSEEDER_SEEDR_EMAIL and TSEEDER_SEEDR_PASSWORD)";

std::optional<Json> parse(const std::string& body) {
  try {
    return Json::parse(body);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string text_at(const Json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

bool worth_retrying(const HttpResponse& r) {
  return r.status == 0 || r.status == 429 || r.status >= 500;
}

std::string failure_text(const HttpResponse& r) {
  return r.status == 0 ? "no answer (" + r.error + ")" : "HTTP " + std::to_string(r.status);
}

// The token's error, wherever the service put it: {"error": "expired_token"} with 200 or 401.
bool token_expired(const HttpResponse& r) {
  if (r.status == 401) return true;
  auto j = parse(r.body);
  const auto e = j ? text_at(*j, "error") : std::string();
  return e == "expired_token" || e == "invalid_token";
}

// A JSONP answer `cb({...})` (the progress URL keeps its callback) or plain JSON.
std::optional<Json> parse_jsonp(const std::string& body) {
  const auto open = body.find('(');
  const auto brace = body.find('{');
  if (open != std::string::npos && (brace == std::string::npos || open < brace)) {
    const auto close = body.rfind(')');
    if (close == std::string::npos || close < open) return std::nullopt;
    return parse(body.substr(open + 1, close - open - 1));
  }
  return parse(body);
}

}  // namespace

bool Stopper::sleep(std::chrono::milliseconds d) {
  std::unique_lock lock(m_);
  return !cv_.wait_for(lock, d, [this] { return stop_.load(); });
}

void Stopper::request() {
  {
    std::lock_guard lock(m_);
    stop_.store(true);
  }
  cv_.notify_all();
}

std::chrono::milliseconds backoff(const AccountSettings& s, int n) {
  long ms = s.backoff_base_ms;
  for (int i = 1; i < n && ms < s.backoff_cap_ms; ++i) ms *= 2;
  return std::chrono::milliseconds(std::min(ms, s.backoff_cap_ms));
}

Account::Account(AccountSettings s) : s_(std::move(s)) {
  load_refresh_token();
}

void Account::load_refresh_token() {
  std::ifstream in(s_.secrets_path);
  if (!in) return;
  std::stringstream text;
  text << in.rdbuf();
  auto j = parse(text.str());
  if (!j) return;
  refresh_ = text_at(*j, "refresh_token");
  via_ = refresh_.empty() ? "" : "device";
}

// Written to a private temp file first, so a crash leaves the old token or the new one.
void Account::save_refresh_token() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path path(s_.secrets_path);
  fs::create_directories(path.parent_path(), ec);
  ::chmod(path.parent_path().c_str(), 0700);
  const std::string tmp = s_.secrets_path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return;
  const std::string body = Json{{"refresh_token", refresh_}, {"client_id", s_.device_client_id}}.dump();
  const bool ok = ::write(fd, body.data(), body.size()) == static_cast<ssize_t>(body.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (ok) std::rename(tmp.c_str(), s_.secrets_path.c_str());
}

void Account::token_from(const HttpResponse& r, const std::string& via) {
  auto j = parse(r.body);
  const auto access = j ? text_at(*j, "access_token") : std::string();
  if (access.empty()) throw ServiceError("Seedr's token answer has no access_token", true);
  access_ = access;
  if (auto refresh = text_at(*j, "refresh_token"); !refresh.empty()) refresh_ = refresh;
  via_ = via;
  long long ttl =
      j->contains("expires_in") && (*j)["expires_in"].is_number() ? (*j)["expires_in"].get<long long>() : 3600;
  // A minute early, so a call never leaves with a token about to expire.
  access_expires_ = Clock::now() + std::chrono::seconds(std::max(ttl - 60, 30LL));
  unhealthy_.clear();
  rejected_ = false;
}

HttpSettings Account::http_for(const Stopper& stop) const {
  HttpSettings h = s_.http;
  h.abort = stop.flag();
  return h;
}

bool Account::refresh(const HttpSettings& http) {
  const auto client = via_ == "device" ? s_.device_client_id : s_.client_id;
  auto r = http_post(http, s_.base_url + "/oauth_test/token.php",
                     {{"grant_type", "refresh_token"}, {"refresh_token", refresh_}, {"client_id", client}});
  if (r.status == 200) {
    const auto via = via_;
    token_from(r, via);
    if (via == "device") save_refresh_token();
    return true;
  }
  if (worth_retrying(r)) throw ServiceError("Seedr's token endpoint: " + failure_text(r), true);
  refresh_.clear();  // refused: the password grant, if any, takes over
  return false;
}

void Account::password_grant(const HttpSettings& http) {
  if (rejected_ && Clock::now() - rejected_at_ < std::chrono::seconds(s_.recheck_credentials_s))
    throw AuthError(unhealthy_);
  auto r = http_post(http, s_.base_url + "/oauth_test/token.php",
                     {{"grant_type", "password"},
                      {"client_id", s_.client_id},
                      {"type", "login"},
                      {"username", s_.email},
                      {"password", s_.password}});
  if (r.status == 200) return token_from(r, "password");
  if (worth_retrying(r)) throw ServiceError("Seedr's token endpoint: " + failure_text(r), true);
  auto j = parse(r.body);
  auto why = j ? text_at(*j, "error_description") : std::string();
  if (why.empty()) why = failure_text(r);
  unhealthy_ = "Seedr rejected the account's email and password (" + why + "); " + kCredentialsHint;
  rejected_ = true;
  rejected_at_ = Clock::now();
  throw AuthError(unhealthy_);
}

std::string Account::access_token(const HttpSettings& http) {
  if (!access_.empty() && Clock::now() < access_expires_) return access_;
  access_.clear();
  if (!refresh_.empty() && refresh(http)) return access_;
  if (!s_.email.empty() && !s_.password.empty()) {
    password_grant(http);
    return access_;
  }
  unhealthy_ = std::string("no Seedr credentials: ") + kCredentialsHint;
  throw AuthError(unhealthy_);
}

HttpResponse Account::send(const HttpSettings& http, const std::string& func, const Form& form, const FilePart* file,
                           const std::string& token) {
  const auto url = s_.base_url + "/oauth_test/resource.php?access_token=" + url_encode(token) + "&func=" + func;
  return file ? http_post_multipart(http, url, form, *file) : http_post(http, url, form);
}

Json Account::call(const std::string& func, const Form& form, Stopper& stop, const FilePart* file, int attempts) {
  const int most = attempts > 0 ? attempts : s_.attempts;
  const auto http = http_for(stop);
  bool refreshed = false;
  for (int attempt = 1;; ++attempt) {
    if (stop.stopping()) throw Stopped{};
    std::string token;
    try {
      std::lock_guard lock(mu_);
      token = access_token(http);
    } catch (const ServiceError& e) {
      if (!e.retryable || attempt >= most) throw;
      if (!stop.sleep(backoff(s_, attempt))) throw Stopped{};
      continue;
    }
    auto r = send(http, func, form, file, token);
    if (token_expired(r) && !refreshed) {
      refreshed = true;
      std::lock_guard lock(mu_);
      if (access_ == token) access_.clear();  // another call may have refreshed it already
      --attempt;
      continue;
    }
    if (worth_retrying(r)) {
      if (attempt >= most)
        throw ServiceError(
            "Seedr did not answer " + func + ": " + failure_text(r) + " after " + std::to_string(attempt) + " attempts",
            true);
      if (!stop.sleep(backoff(s_, attempt))) throw Stopped{};
      continue;
    }
    if (r.status != 200) throw ServiceError("Seedr answered " + func + " with " + failure_text(r), false);
    auto j = parse(r.body);
    if (!j || !j->is_object()) throw ServiceError("Seedr answered " + func + " with something that is not JSON", false);
    return *j;
  }
}

Json Account::get_url(const std::string& url, Stopper& stop) {
  const auto http = http_for(stop);
  for (int attempt = 1;; ++attempt) {
    auto r = http_get(http, url);
    if (worth_retrying(r) && attempt < s_.attempts) {
      if (!stop.sleep(backoff(s_, attempt))) throw Stopped{};
      continue;
    }
    if (r.status != 200) throw ServiceError("Seedr's progress URL: " + failure_text(r), worth_retrying(r));
    auto j = parse_jsonp(r.body);
    if (!j || !j->is_object()) throw ServiceError("Seedr's progress URL answered something that is not JSON", false);
    return *j;
  }
}

bool Account::healthy() {
  std::lock_guard lock(mu_);
  return unhealthy_.empty();
}

std::string Account::unhealthy_reason() {
  std::lock_guard lock(mu_);
  return unhealthy_;
}

std::string Account::status() {
  Json out;
  Stopper never;
  try {
    auto j = call("get_memory_bandwidth", {}, never, nullptr, 1);  // an answer for a person: no backoff waits
    auto num = [&](const char* k) -> Json { return j.contains(k) && j[k].is_number() ? j[k] : Json(nullptr); };
    out["account"] = {{"spaceUsed", num("space_used")},
                      {"spaceMax", num("space_max")},
                      {"bandwidthUsed", num("bandwidth_used")},
                      {"bandwidthMax", num("bandwidth_max")}};
  } catch (const AuthError&) {
    out["account"] = nullptr;
  } catch (const ServiceError& e) {
    out["account"] = nullptr;
    out["accountError"] = e.what();
  }
  std::lock_guard lock(mu_);
  out["healthy"] = unhealthy_.empty() && !out.contains("accountError");
  out["reason"] = !unhealthy_.empty()            ? Json(unhealthy_)
                  : out.contains("accountError") ? out["accountError"]
                                                 : Json(nullptr);
  out.erase("accountError");
  out["auth"] = via_.empty() ? "none" : via_;
  return out.dump();
}

std::string Account::login_start() {
  auto r = http_get(s_.http, s_.base_url + "/api/device/code?client_id=" + url_encode(s_.device_client_id));
  auto j = r.status == 200 ? parse(r.body) : std::nullopt;
  if (!j || text_at(*j, "device_code").empty() || text_at(*j, "user_code").empty())
    return Json{
        {"error", "Seedr's device-code endpoint: " + (r.status == 200 ? "an answer without a code" : failure_text(r))}}
        .dump();
  const long long expires = (*j).value("expires_in", 1800LL);
  std::lock_guard lock(mu_);
  device_code_ = text_at(*j, "device_code");
  device_expires_ = Clock::now() + std::chrono::seconds(expires);
  return Json{{"userCode", text_at(*j, "user_code")},
              {"verificationUrl", text_at(*j, "verification_url")},
              {"interval", (*j).value("interval", 5LL)},
              {"expiresIn", expires}}
      .dump();
}

std::string Account::login_poll() {
  std::string code;
  {
    std::lock_guard lock(mu_);
    if (device_code_.empty()) return Json{{"status", "none"}}.dump();
    if (Clock::now() > device_expires_) {
      device_code_.clear();
      return Json{{"status", "expired"}}.dump();
    }
    code = device_code_;
  }
  auto r = http_get(s_.http, s_.base_url + "/api/device/authorize?device_code=" + url_encode(code) +
                                 "&client_id=" + url_encode(s_.device_client_id));
  auto j = parse(r.body);
  const auto error = j ? text_at(*j, "error") : std::string();
  if (r.status == 200 && j && !text_at(*j, "access_token").empty()) {
    std::lock_guard lock(mu_);
    token_from(r, "device");
    save_refresh_token();
    device_code_.clear();
    generation_.fetch_add(1);
    return Json{{"status", "approved"}}.dump();
  }
  if (error == "authorization_pending" || error == "slow_down" || worth_retrying(r))
    return Json{{"status", "pending"}}.dump();
  std::lock_guard lock(mu_);
  device_code_.clear();
  return Json{{"status", error == "expired_token" ? "expired" : "denied"}}.dump();
}

}  // namespace tseeder::engine_seedr
