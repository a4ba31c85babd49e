// tseeder login | logout | whoami | register | keys: the caller's own account.
#include <unistd.h>

#include <iostream>

#include "commands/commands.h"
#include "core/error.h"
#include "core/ids.h"
#include "credentials_file.h"
#include "output.h"

namespace tseeder::cli {

namespace {

std::string cookie_from(const net::HttpResponse& res) {
  auto it = res.headers.find("set-cookie");
  if (it == res.headers.end()) throw Error(Errc::internal, "daemon did not set a session cookie on login");
  return it->second.substr(0, it->second.find(';'));
}

std::string host_name() {
  char buf[256] = "";
  ::gethostname(buf, sizeof buf - 1);
  return buf[0] ? buf : "unknown host";
}

// The local operator (over the socket, or a key made there) has no email.
void print_user(const Json& u) {
  const Json email = u.value("email", Json());
  const std::string who = email.is_string() ? email.get<std::string>() : "the local operator";
  std::cout << who << "  role " << u.value("role", "") << "  plan " << u.value("plan", "") << "  id "
            << u.value("id", "") << "\n";
}

// A new password typed twice on a terminal; one line from standard input otherwise.
std::string read_new_password() {
  const std::string pw = read_password("New password (8-128 characters): ");
  if (::isatty(STDIN_FILENO) && read_password("Again: ") != pw)
    throw Error(Errc::invalid_argument, "the two new passwords differ; nothing changed");
  return pw;
}

void add_sessions_commands(CLI::App& app, Context& ctx) {
  auto* sessions = app.add_subcommand("sessions", "where your account is logged in (browser sessions)");
  sessions->require_subcommand(1);
  sessions->add_subcommand("ls", "list your sessions")->callback([&ctx] {
    auto res = ctx.call("GET", "/auth/sessions");
    if (ctx.json) return print_json(res);
    std::vector<std::vector<std::string>> rows;
    for (const auto& s : res["sessions"])
      rows.push_back({s.value("id", ""), s.value("current", false) ? "*" : "", s.value("ip", ""),
                      s.value("userAgent", ""), local_time_text(s.value("createdAt", Json())),
                      local_time_text(s.value("lastSeenAt", Json())), local_time_text(s.value("expiresAt", Json()))});
    print_table({"ID", "THIS", "IP", "CLIENT", "CREATED", "LAST SEEN", "EXPIRES"}, rows);
  });
  auto* rm = sessions->add_subcommand("rm", "log a session out");
  auto id = std::make_shared<std::string>();
  rm->add_option("id", *id, "session id (tseeder sessions ls)")->required();
  rm->callback([&ctx, id] {
    if (!looks_like_id(*id)) throw Error(Errc::not_found, "session " + *id + " not found", "see tseeder sessions ls");
    auto res = ctx.call("DELETE", "/auth/sessions/" + *id);
    if (ctx.json) return print_json(res);
    std::cout << "logged out session " << *id << "\n";
  });
}

void add_password_commands(CLI::App& app, Context& ctx) {
  app.add_subcommand("passwd",
                     "change your password (read without echo, or as two lines — current, new — from standard "
                     "input); your other sessions and API keys end, the one in use stays")
      ->callback([&ctx] {
        const std::string current = read_password("Current password: ");
        const std::string next = read_new_password();
        auto res = ctx.call("POST", "/auth/password", {{"currentPassword", current}, {"password", next}});
        if (ctx.json) return print_json(res);
        std::cout << "password changed; " << res.value("sessionsEnded", 0) << " other session(s) ended, "
                  << res.value("apiKeysRevoked", 0) << " other API key(s) revoked\n";
      });

  auto* reset = app.add_subcommand(
      "reset-password",
      "forgot your password: `reset-password EMAIL` mails a reset token; `reset-password --token TOKEN` then sets "
      "a new password (read like passwd's new one)");
  auto email = std::make_shared<std::string>();
  auto token = std::make_shared<std::string>();
  auto* email_opt = reset->add_option("email", *email, "the account's email address");
  reset->add_option("--token", *token, "the token from the reset mail")->excludes(email_opt);
  reset->callback([&ctx, email, token] {
    if (email->empty() == token->empty())
      throw Error(Errc::invalid_argument, "reset-password needs an EMAIL or --token TOKEN",
                  "first EMAIL (a token is mailed), then --token");
    if (!email->empty()) {
      auto res = ctx.call("POST", "/auth/reset-request", {{"email", *email}});
      if (ctx.json) return print_json(res);
      std::cout << "if " << *email << " has an account, a reset token is on its way; then: tseeder reset-password "
                << "--token TOKEN\n";
      return;
    }
    auto res = ctx.call("POST", "/auth/reset-confirm", {{"token", *token}, {"password", read_new_password()}});
    if (ctx.json) return print_json(res);
    std::cout << "password set; log in with it (tseeder login EMAIL)\n";
  });
}

}  // namespace

void add_account_commands(CLI::App& app, Context& ctx) {
  auto* login = app.add_subcommand(
      "login",
      "log in and save an API key for this daemon in ~/.config/tseeder/credentials.json (mode 0600); "
      "the password is read without echo, or from standard input when it is not a terminal");
  auto email = std::make_shared<std::string>();
  login->add_option("email", *email, "account email")->required();
  login->callback([&ctx, email] {
    if (ctx.url.empty()) throw Error(Errc::invalid_argument, "login needs the daemon's address", "pass --url URL");
    ctx.api_key.clear();  // a new key replaces whatever was in use
    const std::string password = read_password("Password for " + *email + ": ");
    auto res = ctx.client().request("POST", "/auth/login", Json{{"email", *email}, {"password", password}}.dump());
    if (res.status >= 400) throw_api_error(res);
    const auto body = Json::parse(res.body);
    const std::vector<std::string> session = {"Cookie: " + cookie_from(res),
                                              "X-CSRF-Token: " + body["csrfToken"].get<std::string>()};
    auto key =
        ctx.client().request("POST", "/auth/api-keys", Json{{"name", "tseeder CLI on " + host_name()}}.dump(), session);
    if (key.status >= 400) throw_api_error(key);
    const auto k = Json::parse(key.body);
    ctx.client().request("POST", "/auth/logout", "{}", session);  // the key is what stays
    save_login({ctx.url, k["key"].get<std::string>(), k["id"].get<std::string>()});
    if (ctx.json) return print_json({{"user", body["user"]}, {"keyId", k["id"]}, {"file", credentials_path()}});
    std::cout << "logged in as " << body["user"].value("email", "") << "; API key " << k["prefix"].get<std::string>()
              << "… saved to " << credentials_path() << "\n";
  });

  app.add_subcommand("logout", "revoke the saved API key and forget it")->callback([&ctx] {
    auto saved = load_login();
    if (!saved) throw Error(Errc::not_found, "not logged in", "nothing saved at " + credentials_path());
    if (!saved->key_id.empty()) {
      try {
        ctx.call("DELETE", "/auth/api-keys/" + saved->key_id);
      } catch (const Error& e) {
        // A key already revoked or a daemon gone must not keep the secret on disk.
        if (e.code() != Errc::not_found && e.code() != Errc::unauthenticated && e.code() != Errc::unavailable) throw;
      }
    }
    forget_login();
    if (!ctx.json) std::cout << "logged out\n";
  });

  app.add_subcommand("whoami", "show the account the CLI acts as")->callback([&ctx] {
    auto res = ctx.call("GET", "/auth/me");
    if (ctx.json) return print_json(res);
    print_user(res["user"]);
  });

  auto* reg = app.add_subcommand("register",
                                 "create an account (the password is read like login's); a verification mail follows");
  auto reg_email = std::make_shared<std::string>();
  auto aup = std::make_shared<bool>(false);
  reg->add_option("email", *reg_email, "your email address")->required();
  reg->add_flag("--accept-aup", *aup, "accept the server's acceptable use policy (required)");
  reg->callback([&ctx, reg_email, aup] {
    const std::string password = read_password("New password (8-128 characters): ");
    auto res =
        ctx.call("POST", "/auth/register", {{"email", *reg_email}, {"password", password}, {"acceptedAup", *aup}});
    if (ctx.json) return print_json(res);
    std::cout << "registered " << *reg_email
              << (res.value("verificationRequired", false) ? "; open the link in the verification mail, then "
                                                             "tseeder login"
                                                           : "; tseeder login when ready")
              << "\n";
  });

  auto* keys = app.add_subcommand("keys", "your API keys");
  keys->require_subcommand(1);
  keys->add_subcommand("ls", "list API keys (never their secrets)")->callback([&ctx] {
    auto res = ctx.call("GET", "/auth/api-keys");
    if (ctx.json) return print_json(res);
    std::vector<std::vector<std::string>> rows;
    for (const auto& k : res["apiKeys"])
      rows.push_back({k.value("id", ""), k.value("prefix", ""), k.value("name", ""),
                      local_time_text(k.value("createdAt", Json())), local_time_text(k.value("lastUsedAt", Json())),
                      local_time_text(k.value("expiresAt", Json()))});
    print_table({"ID", "PREFIX", "NAME", "CREATED", "LAST USED", "EXPIRES"}, rows);
  });
  add_sessions_commands(app, ctx);
  add_password_commands(app, ctx);
  auto* kadd = keys->add_subcommand("add", "make an API key for a script; the secret is shown once");
  auto kname = std::make_shared<std::string>();
  auto kdays = std::make_shared<int>(0);
  kadd->add_option("name", *kname, "what the key is for")->required();
  kadd->add_option("--days", *kdays, "expire after this many days (default: never)")->check(CLI::Range(1, 3650));
  kadd->callback([&ctx, kname, kdays] {
    Json body = {{"name", *kname}};
    if (*kdays > 0) body["expiresInDays"] = *kdays;
    auto res = ctx.call("POST", "/auth/api-keys", body);
    if (ctx.json) return print_json(res);
    std::cout << res["key"].get<std::string>() << "\n";
    std::cerr << "keep it now: it is not shown again\n";
  });
  auto* krm = keys->add_subcommand("rm", "revoke an API key");
  auto kid = std::make_shared<std::string>();
  krm->add_option("id", *kid, "key id (tseeder keys ls)")->required();
  krm->callback([&ctx, kid] {
    if (!looks_like_id(*kid)) throw Error(Errc::not_found, "API key " + *kid + " not found");
    auto res = ctx.call("DELETE", "/auth/api-keys/" + *kid);
    if (ctx.json) return print_json(res);
    std::cout << "revoked " << *kid << "\n";
  });
}

}  // namespace tseeder::cli
