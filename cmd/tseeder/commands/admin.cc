// tseeder admin bootstrap | users … | audit: staff tools. Over the Unix socket root and the
// daemon's user are the operator; elsewhere a staff account's key is needed.
#include <unistd.h>

#include <iostream>

#include "commands/commands.h"
#include "core/error.h"
#include "core/ids.h"
#include "core/percent_encoding.h"
#include "credentials_file.h"
#include "output.h"

namespace tseeder::cli {

std::string url_encode(const std::string& s) {
  return percent_encode(s, ":");
}

// A user named by id or by exact email.
std::string resolve_user(Context& ctx, const std::string& who) {
  if (who.find('@') == std::string::npos) {
    if (!looks_like_id(who))
      throw Error(Errc::not_found, "user " + who + " not found", "give a user id (16 hex characters) or an email");
    return who;
  }
  for (const auto& u : ctx.call_all("/admin/users?limit=500&q=" + url_encode(who), "users"))
    if (u["email"].is_string() && u["email"].get<std::string>() == who) return u["id"].get<std::string>();
  throw Error(Errc::not_found, "no account with email " + who);
}

void add_why(CLI::App* cmd, const std::shared_ptr<Why>& why, bool required) {
  auto* r = cmd->add_option("--reason", why->reason, "why (at least 10 characters)");
  auto* t = cmd->add_option("--ticket", why->ticket, "support ticket id");
  if (required) {
    r->required();
    t->required();
  }
}

void add_why_fields(Json& body, const Why& why) {
  if (!why.reason.empty()) body["reason"] = why.reason;
  if (!why.ticket.empty()) body["ticketId"] = why.ticket;
}

namespace {

// Password from standard input when it is a pipe or file; otherwise the daemon generates one.
std::optional<std::string> password_from_stdin() {
  if (::isatty(STDIN_FILENO)) return std::nullopt;
  std::string pw;
  if (!std::getline(std::cin, pw) || pw.empty()) return std::nullopt;
  if (pw.back() == '\r') pw.pop_back();
  return pw;
}

void print_added(Context& ctx, const Json& res) {
  if (ctx.json) return print_json(res);
  const auto& u = res["user"];
  std::cout << "added " << u.value("email", "") << " (" << u.value("role", "") << ", plan " << u.value("plan", "")
            << ", id " << u.value("id", "") << ")\n";
  if (res.contains("password"))
    std::cout << "password: " << res["password"].get<std::string>() << "\n(shown once; ask them to change it)\n";
}

std::vector<std::string> user_row(const Json& u) {
  return {u.value("id", ""), u["email"].is_string() ? u["email"].get<std::string>() : "-", u.value("role", ""),
          u.value("plan", ""),
          u.value("suspended", false) ? "suspended" : (u.value("emailVerified", false) ? "active" : "unverified")};
}

}  // namespace

void add_admin_commands(CLI::App& app, Context& ctx) {
  auto* admin = app.add_subcommand(
      "admin",
      "staff tools: accounts, plans, the blocklist, the dead-letter list, storage upkeep, the fleet and the audit log");
  admin->require_subcommand(1);
  add_admin_plans_commands(*admin, ctx);
  add_admin_content_commands(*admin, ctx);
  add_admin_provider_commands(*admin, ctx);
  add_admin_jobs_commands(*admin, ctx);
  add_admin_search_command(*admin, ctx);
  add_admin_config_commands(*admin, ctx);
  add_admin_health_command(*admin, ctx);
  add_admin_wallet_commands(*admin, ctx);
  add_admin_fleet_commands(*admin, ctx);

  auto* boot = admin->add_subcommand(
      "bootstrap",
      "create the first superadmin (run on the daemon's machine, over its socket); the password comes from "
      "standard input or is generated and printed once");
  auto boot_email = std::make_shared<std::string>();
  boot->add_option("email", *boot_email, "the superadmin's email")->required();
  boot->callback([&ctx, boot_email] {
    Json body = {{"email", *boot_email}};
    if (auto pw = password_from_stdin()) body["password"] = *pw;
    print_added(ctx, ctx.call("POST", "/admin/bootstrap", body));
  });

  auto* users = admin->add_subcommand("users", "accounts");
  users->require_subcommand(1);

  auto* add = users->add_subcommand(
      "add", "add a verified account; the password comes from standard input or is generated and printed once");
  auto nu = std::make_shared<std::array<std::string, 3>>(std::array<std::string, 3>{"", "user", "free"});
  add->add_option("email", (*nu)[0], "email")->required();
  add->add_option("--role", (*nu)[1], "user | support | admin | superadmin")
      ->check(CLI::IsMember({"user", "support", "admin", "superadmin"}));
  add->add_option("--plan", (*nu)[2], "free | pro | business | enterprise");
  add->callback([&ctx, nu] {
    Json body = {{"email", (*nu)[0]}, {"role", (*nu)[1]}, {"plan", (*nu)[2]}};
    if (auto pw = password_from_stdin()) body["password"] = *pw;
    print_added(ctx, ctx.call("POST", "/admin/users", body));
  });

  auto* ls = users->add_subcommand("ls", "list accounts");
  auto q = std::make_shared<std::array<std::string, 2>>();
  ls->add_option("--search", (*q)[0], "part of the email");
  ls->add_option("--role", (*q)[1], "only this role")->check(CLI::IsMember({"user", "support", "admin", "superadmin"}));
  ls->callback([&ctx, q] {
    std::string path = "/admin/users?limit=500&q=" + url_encode((*q)[0]);
    if (!(*q)[1].empty()) path += "&role=" + (*q)[1];
    auto users = ctx.call_all(path, "users");
    if (ctx.json) return print_json(Json{{"users", users}});
    std::vector<std::vector<std::string>> rows;
    for (const auto& u : users) rows.push_back(user_row(u));
    print_table({"ID", "EMAIL", "ROLE", "PLAN", "STATE"}, rows);
  });

  auto* show = users->add_subcommand("show", "one account");
  auto who = std::make_shared<std::string>();
  show->add_option("user", *who, "user id or email")->required();
  show->callback([&ctx, who] {
    auto res = ctx.call("GET", "/admin/users/" + resolve_user(ctx, *who));
    if (ctx.json) return print_json(res);
    print_table({"ID", "EMAIL", "ROLE", "PLAN", "STATE"}, {user_row(res["user"])});
    if (res["user"]["suspendedReason"].is_string())
      std::cout << "suspended: " << res["user"]["suspendedReason"].get<std::string>() << "\n";
  });

  auto* role = users->add_subcommand("role", "change an account's role");
  auto role_args = std::make_shared<std::array<std::string, 2>>();
  role->add_option("user", (*role_args)[0], "user id or email")->required();
  role->add_option("role", (*role_args)[1], "user | support | admin | superadmin")
      ->required()
      ->check(CLI::IsMember({"user", "support", "admin", "superadmin"}));
  auto role_why = std::make_shared<Why>();
  add_why(role, role_why, true);
  role->callback([&ctx, role_args, role_why] {
    auto id = resolve_user(ctx, (*role_args)[0]);
    Json body{{"role", (*role_args)[1]}};
    add_why_fields(body, *role_why);
    auto res = ctx.call("POST", "/admin/users/" + id + "/role", body);
    if (ctx.json) return print_json(res);
    std::cout << res["user"].value("email", "") << " is now " << res["user"].value("role", "") << "\n";
  });

  struct Action {
    const char* name;
    const char* help;
    const char* path;
    bool required;
  };
  for (const Action& a :
       {Action{"suspend", "suspend an account: it cannot log in and its keys stop working", "suspend", true},
        Action{"unsuspend", "lift a suspension", "unsuspend", false},
        Action{"force-logout", "end every session, API key and reset token of an account", "force-logout", true}}) {
    auto* cmd = users->add_subcommand(a.name, a.help);
    auto target = std::make_shared<std::string>();
    auto why = std::make_shared<Why>();
    cmd->add_option("user", *target, "user id or email")->required();
    add_why(cmd, why, a.required);
    std::string path = a.path;
    std::string name = a.name;
    cmd->callback([&ctx, target, why, path, name] {
      Json body = Json::object();
      add_why_fields(body, *why);
      auto res = ctx.call("POST", "/admin/users/" + resolve_user(ctx, *target) + "/" + path, body);
      if (ctx.json) return print_json(res);
      if (res.contains("sessionsEnded"))
        std::cout << "ended " << res["sessionsEnded"].get<int>() << " session(s), " << res.value("apiKeysRevoked", 0)
                  << " API key(s) and " << res.value("resetTokensEnded", 0) << " reset token(s) of " << *target << "\n";
      else
        std::cout << name << ": " << *target << " done\n";
    });
  }

  auto* del = users->add_subcommand("delete", "delete an account that holds no job (delete its jobs first)");
  auto del_target = std::make_shared<std::string>();
  auto del_why = std::make_shared<Why>();
  del->add_option("user", *del_target, "user id or email")->required();
  add_why(del, del_why, true);
  del->callback([&ctx, del_target, del_why] {
    Json body = Json::object();
    add_why_fields(body, *del_why);
    ctx.call("DELETE", "/admin/users/" + resolve_user(ctx, *del_target), body);
    if (!ctx.json) std::cout << "deleted " << *del_target << "\n";
  });

  auto* audit = admin->add_subcommand("audit", "search the audit log (newest first)");
  auto f = std::make_shared<std::array<std::string, 6>>();
  auto limit = std::make_shared<int>(50);
  audit->add_option("--actor", (*f)[0], "actor user id ('local' is the socket operator, 'system' the daemon)");
  audit->add_option("--action", (*f)[1], "an action, or a family ending in '.' (auth.)");
  audit->add_option("--target", (*f)[2], "target, e.g. user:ID or job:ID");
  audit->add_option("--since", (*f)[3], "from this UTC time (2026-11-22 or 2026-11-22T10:00:00Z)");
  audit->add_option("--until", (*f)[4], "before this UTC time");
  audit->add_option("--limit", *limit, "entries to show (1-1000)")->check(CLI::Range(1, 1000));
  audit->callback([&ctx, f, limit] {
    std::string path = "/admin/audit?limit=" + std::to_string(*limit);
    const char* keys[] = {"actor", "action", "target", "since", "until"};
    for (int i = 0; i < 5; ++i)
      if (!(*f)[i].empty()) path += std::string("&") + keys[i] + "=" + url_encode((*f)[i]);
    auto res = ctx.call("GET", path);
    if (ctx.json) return print_json(res);
    std::vector<std::vector<std::string>> rows;
    auto s = [](const Json& v) { return v.is_string() ? v.get<std::string>() : std::string("-"); };
    for (const auto& e : res["entries"])
      rows.push_back(
          {s(e["at"]), s(e["actorId"]), e.value("action", ""), s(e["target"]), s(e["ip"]), e["detail"].dump()});
    print_table({"AT (UTC)", "ACTOR", "ACTION", "TARGET", "FROM", "DETAIL"}, rows);
  });
}

}  // namespace tseeder::cli
