// tseeder smoke: the whole path a user takes, against a running daemon, each step PASS or FAIL
// with its time: health, an account, login, an API key, a job from a small file (served by this
// command on loopback, or --source), progress over SSE, completion and scan, a signed link whose
// bytes are checked, the zip, delete, logout. Everything it made is removed afterwards, also when
// a step fails. Exit 0 when all pass, 1 otherwise, 4 when the daemon cannot be reached.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <thread>

#include "commands/commands.h"
#include "core/digest.h"
#include "core/error.h"
#include "core/ids.h"
#include "core/secrets.h"
#include "exit_codes.h"
#include "output.h"
#include "smoke_file_server.h"

namespace tseeder::cli {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kFileBytes = 1024 * 1024 + 17;

struct Options {
  std::string source;     // a URL or magnet; empty: serve a file of our own
  std::string smtp_sink;  // a Maildir the daemon's mail lands in: register and verify there
  int timeout_s = 300;
};

// The objects a run made, so the cleanup can remove each whatever failed.
struct Made {
  std::string user_id, email, password;
  std::string cookie, csrf;
  std::string key_id, key;
  bool own_key = false;  // the caller's key: neither made nor removed here
  std::string job_id;
  bool job_deleted = false, logged_out = false;
};

class SmokeRun {
 public:
  SmokeRun(Context& ctx, Options opt) : ctx_(ctx), opt_(std::move(opt)) {}
  int run();

 private:
  // Runs one step; its text is what it found. A failure ends the run (the cleanup still runs).
  bool step(const std::string& name, const std::function<std::string()>& body);
  void record(const std::string& name, const std::string& status, double ms, const std::string& text);
  // One call over TCP; an error answer becomes Error with the daemon's message.
  net::HttpResponse tcp_call(std::string_view method, const std::string& path, const Json& body = nullptr,
                             const std::vector<std::string>& headers = {});
  std::vector<std::string> as_key() const { return {"Authorization: Bearer " + made_.key}; }
  Json user_call(std::string_view method, const std::string& path, const Json& body = nullptr);
  Json session_call(std::string_view method, const std::string& path, const Json& body);
  void cleanup();
  std::string make_account();
  std::string register_account();
  std::string start_job();
  std::string follow_job();
  std::string check_link();

  Context& ctx_;
  Options opt_;
  Made made_;
  std::unique_ptr<net::HttpClient> tcp_;   // the API over TCP, as the smoke account
  std::unique_ptr<SmokeFileServer> file_;  // what the job downloads, unless --source
  std::string expected_sha256_;
  Json steps_ = Json::array();
  bool failed_ = false;
};

void SmokeRun::record(const std::string& name, const std::string& status, double ms, const std::string& text) {
  steps_.push_back({{"step", name}, {"status", status}, {"ms", static_cast<long>(ms)}, {"detail", text}});
  if (ctx_.json) return;
  char took[32];
  std::snprintf(took, sizeof took, "%6ld ms", static_cast<long>(ms));
  std::cout << status << "  " << name << std::string(12 - std::min<std::size_t>(name.size(), 11), ' ') << took << "  "
            << text << std::endl;
}

bool SmokeRun::step(const std::string& name, const std::function<std::string()>& body) {
  const auto t0 = Clock::now();
  std::string text, status = "PASS";
  try {
    text = body();
  } catch (const Error& e) {
    status = "FAIL";
    text = e.message() + (e.hint().empty() ? "" : " (" + e.hint() + ")");
  } catch (const std::exception& e) {
    status = "FAIL";
    text = e.what();
  }
  record(name, status, std::chrono::duration<double, std::milli>(Clock::now() - t0).count(), text);
  if (status == "FAIL") failed_ = true;
  return !failed_;
}

Json parsed(const net::HttpResponse& res) {
  return res.body.empty() ? Json::object() : Json::parse(res.body);
}

net::HttpResponse SmokeRun::tcp_call(std::string_view method, const std::string& path, const Json& body,
                                     const std::vector<std::string>& headers) {
  auto res = tcp_->request(method, path, body.is_null() ? std::string() : body.dump(), headers);
  if (res.status >= 400) throw_api_error(res);
  return res;
}

Json SmokeRun::user_call(std::string_view method, const std::string& path, const Json& body) {
  return parsed(tcp_call(method, path, body, as_key()));
}

Json SmokeRun::session_call(std::string_view method, const std::string& path, const Json& body) {
  return parsed(tcp_call(method, path, body, {"Cookie: " + made_.cookie, "X-CSRF-Token: " + made_.csrf}));
}

std::string SmokeRun::start_job() {
  Json body;
  if (opt_.source.starts_with("magnet:")) {
    body = {{"magnet", opt_.source}};
  } else if (!opt_.source.empty()) {
    body = {{"url", opt_.source}};
  } else {
    const auto host = tcp_->endpoint().base_url;
    if (host.find("://127.0.0.1") == std::string::npos && host.find("://localhost") == std::string::npos &&
        host.find("://[::1]") == std::string::npos)
      throw Error(Errc::invalid_argument, "the daemon at " + host + " cannot download from this machine",
                  "give --source URL (or a magnet) it can reach");
    std::string content = random_bytes(kFileBytes);
    expected_sha256_ = sha256_hex(content);
    file_ = std::make_unique<SmokeFileServer>("tseeder-smoke-" + random_hex_id() + ".bin", std::move(content));
    body = {{"url", file_->url()}};
  }
  auto job = user_call("POST", "/jobs", body);
  made_.job_id = job.value("id", "");
  return "job " + made_.job_id + " from " + body.begin().value().get<std::string>();
}

std::string SmokeRun::follow_job() {
  // The job's events until it ends, or goes back to wait for a retry: at least its status changes
  // arrive over SSE.
  int events = 0;
  bool started = false;
  std::string last_status, pending;
  auto res = tcp_->stream(
      "/jobs/" + made_.job_id + "/events", {"Authorization: Bearer " + made_.key, "Accept: text/event-stream"},
      [&](std::string_view chunk) {
        pending.append(chunk);
        for (std::size_t nl; (nl = pending.find('\n')) != std::string::npos; pending.erase(0, nl + 1)) {
          const std::string line = pending.substr(0, nl);
          if (!line.starts_with("data:")) continue;
          ++events;
          auto data = Json::parse(line.substr(5), nullptr, false);
          if (data.is_object() && data.value("status", Json()).is_string()) last_status = data["status"];
          if (last_status != "submitted" && last_status != "queued") started = true;
        }
        const bool retrying = started && last_status == "queued";
        return last_status != "completed" && last_status != "failed" && last_status != "cancelled" && !retrying;
      },
      opt_.timeout_s);
  if (res.status >= 400) throw_api_error(res);
  if (last_status.empty()) throw Error(Errc::internal, "no status arrived over the event stream");
  return std::to_string(events) + " events; last status " + last_status;
}

std::string SmokeRun::check_link() {
  auto files = user_call("GET", "/jobs/" + made_.job_id + "/files")["files"];
  if (files.empty()) throw Error(Errc::internal, "the completed job lists no file");
  const auto file_id = files[0]["id"].dump();
  const auto link = user_call("GET", "/jobs/" + made_.job_id + "/files/" + file_id + "/url")["url"].get<std::string>();
  // Fetched as anyone would: no key, the link alone.
  const auto scheme_end = link.find("://");
  const auto path_at = link.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  if (scheme_end == std::string::npos || path_at == std::string::npos)
    throw Error(Errc::internal, "the signed link is not a URL: " + link.substr(0, 200));
  net::HttpClient plain(net::Endpoint{link.substr(0, path_at), "", "", opt_.timeout_s, "the signed link"});
  auto res = plain.request("GET", link.substr(path_at));
  if (res.status != 200) throw Error(Errc::internal, "the signed link answered HTTP " + std::to_string(res.status));
  const auto got = sha256_hex(res.body);
  if (!expected_sha256_.empty() && got != expected_sha256_)
    throw Error(Errc::internal, "the file's SHA-256 is " + got + ", not the served " + expected_sha256_);
  return std::to_string(res.body.size()) + " bytes, SHA-256 " + got.substr(0, 16) + "…" +
         (expected_sha256_.empty() ? "" : " matches");
}

void SmokeRun::cleanup() {
  std::vector<std::string> left;
  const auto t0 = Clock::now();
  auto attempt = [&](const std::string& what, const std::function<void()>& f) {
    try {
      f();
    } catch (const std::exception& e) {
      left.push_back(what + ": " + e.what());
    }
  };
  if (!made_.job_id.empty() && !made_.job_deleted && !made_.key.empty())
    attempt("job " + made_.job_id, [&] { user_call("DELETE", "/jobs/" + made_.job_id); });
  if (!made_.key_id.empty() && !made_.own_key)
    attempt("API key", [&] { user_call("DELETE", "/auth/api-keys/" + made_.key_id); });
  if (!made_.cookie.empty() && !made_.logged_out) attempt("session", [&] { session_call("POST", "/auth/logout", {}); });
  if (!made_.user_id.empty()) {
    attempt("account " + made_.email, [&] {
      // Its job's row goes once the files are gone; the account follows.
      const auto until = Clock::now() + std::chrono::seconds(60);
      for (;;) {
        try {
          ctx_.call("DELETE", "/admin/users/" + made_.user_id,
                    {{"reason", "tseeder smoke: its temporary account"}, {"ticketId", "smoke"}});
          return;
        } catch (const Error& e) {
          if (e.code() != Errc::conflict || Clock::now() > until) throw;
          std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
      }
    });
  }
  if (made_.user_id.empty() && !made_.email.empty() && !made_.own_key)
    left.push_back("account " + made_.email + " (its id never came back: remove it with tseeder admin users delete)");
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  if (left.empty()) return record("cleanup", "PASS", ms, "nothing left behind");
  std::string text = "left behind: ";
  for (const auto& l : left) text += l + "; ";
  record("cleanup", "FAIL", ms, text);
  failed_ = true;
}

std::string SmokeRun::make_account() {
  made_.email = "smoke-" + random_hex_id() + "@smoke.tseeder.invalid";
  made_.password = random_token(24);
  if (!opt_.smtp_sink.empty()) return register_account();
  try {
    auto added = ctx_.call("POST", "/admin/users", {{"email", made_.email}, {"password", made_.password}});
    made_.user_id = added["user"].value("id", "");
    return "temporary account " + made_.email;
  } catch (const Error& e) {
    made_.email.clear();  // no account was made
    // Not an admin: a key of one's own still checks the rest of the path.
    if (e.code() != Errc::forbidden || ctx_.api_key.empty()) throw;
    made_.key = ctx_.api_key;
    made_.own_key = true;
    return "your own key (not an admin: no temporary account)";
  }
}

std::string SmokeRun::register_account() {
  auto res =
      tcp_call("POST", "/auth/register", {{"email", made_.email}, {"password", made_.password}, {"acceptedAup", true}});
  made_.user_id = Json::parse(res.body, nullptr, false).value("user", Json::object()).value("id", "");
  // The verification mail, as the sink keeps it (Maildir: DIR/new/).
  const auto until = Clock::now() + std::chrono::seconds(30);
  for (;;) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(opt_.smtp_sink + "/new", ec)) {
      std::ifstream in(entry.path());
      const std::string mail((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      const auto at = mail.find("token=");
      if (mail.find(made_.email) == std::string::npos || at == std::string::npos) continue;
      const auto end =
          mail.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", at + 6);
      tcp_call("POST", "/auth/verify", {{"token", mail.substr(at + 6, end - at - 6)}});
      return "registered " + made_.email + ", verified by the mail in " + opt_.smtp_sink;
    }
    if (Clock::now() > until)
      throw Error(Errc::internal, "no verification mail to " + made_.email + " in " + opt_.smtp_sink + "/new",
                  "check smtp.url points at the sink");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

int SmokeRun::run() {
  Json health;
  const auto t0 = Clock::now();
  try {
    health = ctx_.call("GET", "/health");
  } catch (const Error& e) {
    record("health", "FAIL", std::chrono::duration<double, std::milli>(Clock::now() - t0).count(), e.message());
    if (ctx_.json) print_json(Json{{"ok", false}, {"steps", steps_}});
    return e.code() == Errc::unavailable ? kExitUnreachable : kExitError;
  }
  record("health", health.value("status", "") == "ok" ? "PASS" : "FAIL",
         std::chrono::duration<double, std::milli>(Clock::now() - t0).count(),
         "tseeder " + health.value("version", "?") + ", " + std::to_string(health.value("activeJobs", 0)) +
             " active jobs");
  failed_ = health.value("status", "") != "ok";
  const std::string base = ctx_.url.empty() ? health.value("url", "") : ctx_.url;
  tcp_ = std::make_unique<net::HttpClient>(net::Endpoint{base, "", "", 60, "the daemon's API"});

  if (!failed_) step("account", [&] { return make_account(); });
  if (made_.own_key) {
    record("login", "SKIP", 0, "the given API key stands in for the account");
    record("api key", "SKIP", 0, "the given API key");
  }
  if (!failed_ && !made_.own_key)
    step("login", [&] {
      auto res = tcp_call("POST", "/auth/login", {{"email", made_.email}, {"password", made_.password}});
      made_.cookie = res.headers["set-cookie"].substr(0, res.headers["set-cookie"].find(';'));
      const auto body = Json::parse(res.body);
      made_.csrf = body.value("csrfToken", "");
      if (made_.user_id.empty()) made_.user_id = body.value("user", Json::object()).value("id", "");
      return "session at " + base;
    });
  if (!failed_ && !made_.own_key)
    step("api key", [&] {
      auto key = session_call("POST", "/auth/api-keys", {{"name", "tseeder smoke"}});
      made_.key = key.value("key", "");
      made_.key_id = key.value("id", "");
      return "key " + made_.key_id;
    });
  if (!failed_) step("job", [&] { return start_job(); });
  if (!failed_) step("progress", [&] { return follow_job(); });
  if (!failed_)
    step("completion", [&] {
      auto job = user_call("GET", "/jobs/" + made_.job_id);
      const auto status = job.value("status", "");
      const auto scan = job.value("scanStatus", Json()).is_string() ? job["scanStatus"].get<std::string>() : "-";
      if (status != "completed")
        throw Error(Errc::internal,
                    "the job is " + status + ": " +
                        (job.value("error", Json()).is_string() ? job["error"].get<std::string>() : "-"));
      if (scan == "infected") throw Error(Errc::internal, "the scanner called the test file infected");
      return "completed, scan " + scan;
    });
  if (!failed_) step("link", [&] { return check_link(); });
  if (!failed_)
    step("zip", [&] {
      auto res = tcp_call("GET", "/jobs/" + made_.job_id + "/zip", nullptr, as_key());
      if (!res.body.starts_with("PK")) throw Error(Errc::internal, "the zip does not start like one");
      return std::to_string(res.body.size()) + " bytes";
    });
  if (!failed_)
    step("delete", [&] {
      user_call("DELETE", "/jobs/" + made_.job_id);
      made_.job_deleted = true;
      return "job " + made_.job_id + " deleted";
    });
  if (!failed_ && !made_.own_key)
    step("logout", [&] {
      session_call("POST", "/auth/logout", {});
      made_.logged_out = true;
      return "session ended";
    });
  cleanup();
  if (ctx_.json) print_json(Json{{"ok", !failed_}, {"steps", steps_}});
  return failed_ ? kExitError : kExitOk;
}

}  // namespace

void add_smoke_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "smoke",
      "check a running daemon end to end with a temporary account: health, login, an API key, a download "
      "followed over SSE, scan, a signed link, the zip, delete and logout; everything made is removed "
      "afterwards. Needs admin access (the socket, or an admin key) to make and remove the account");
  auto opt = std::make_shared<Options>();
  cmd->add_option("--source", opt->source,
                  "a URL or magnet to download (default: a 1 MiB file this command serves on 127.0.0.1, for a local "
                  "daemon that allows private URLs)");
  cmd->add_option("--smtp-sink", opt->smtp_sink,
                  "a Maildir (DIR/new/) the daemon's mail is delivered to: the account registers and is verified by "
                  "its mail instead of being made by an admin");
  cmd->add_option("--timeout", opt->timeout_s, "seconds the download may take (default 300)")
      ->check(CLI::Range(5, 86400));
  cmd->callback([&ctx, opt] { ctx.exit_status = SmokeRun(ctx, *opt).run(); });
}

}  // namespace tseeder::cli
