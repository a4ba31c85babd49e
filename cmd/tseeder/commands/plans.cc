// tseeder usage, tseeder admin plans ls | set | assign: what a plan allows and what is used.
#include <iostream>

#include "commands/commands.h"
#include "core/error.h"
#include "core/units.h"
#include "output.h"

namespace tseeder::cli {
namespace {

constexpr const char* kUnlimited = "unlimited";

std::string size_text(const Json& v) {
  return v.is_number() ? format_bytes(v.get<std::uint64_t>()) : kUnlimited;
}
std::string count_text(const Json& v) {
  return v.is_number() ? std::to_string(v.get<std::int64_t>()) : kUnlimited;
}
std::string days_text(const Json& v) {
  return v.is_number() ? std::to_string(v.get<std::int64_t>()) + " days" : kUnlimited;
}

std::vector<std::string> plan_row(const Json& p) {
  return {p.value("id", ""),
          p.value("name", ""),
          count_text(p["maxActiveJobs"]),
          size_text(p["storageBytes"]),
          size_text(p["maxFileBytes"]),
          size_text(p["bandwidthBytesPerMonth"]),
          days_text(p["retentionDays"]),
          count_text(p["maxSessions"])};
}

// A limit typed by staff: "unlimited", or a number / size ("50GB" is 50·10⁹ bytes, "50GiB" 50·2³⁰).
Json limit_value(const std::string& flag, const std::string& text, bool size) {
  if (text == kUnlimited || text == "none") return nullptr;
  const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  auto v = size || digits ? parse_byte_size(text) : std::nullopt;
  if (!v)
    throw Error(Errc::invalid_argument, "--" + flag + " '" + text + "' is not " +
                                            (size ? "a size like 50GB" : "a whole number") + " or " + kUnlimited);
  return *v;
}

}  // namespace

void add_usage_command(CLI::App& app, Context& ctx) {
  app.add_subcommand("usage", "your plan, its limits, what you used and what remains")->callback([&ctx] {
    auto u = ctx.call("GET", "/usage");
    if (ctx.json) return print_json(u);
    const auto& plan = u["plan"];
    std::cout << "plan: " << plan.value("name", "") << " (" << plan.value("id", "") << ")\n";
    auto row = [](const char* what, const Json& e, bool size) {
      auto text = [&](const Json& v) { return size ? size_text(v) : count_text(v); };
      return std::vector<std::string>{what, text(e["used"]), text(e["limit"]),
                                      e["remaining"].is_number() ? text(e["remaining"]) : "-"};
    };
    std::vector<std::vector<std::string>> rows = {
        row("active jobs", u["activeJobs"], false),
        row("storage", u["storage"], true),
        row(("bandwidth " + u["bandwidth"].value("month", "")).c_str(), u["bandwidth"], true),
        {"max file size", "-", size_text(u["maxFileBytes"]), "-"},
        {"retention", "-", days_text(u["retentionDays"]), "-"},
    };
    print_table({"LIMIT", "USED", "OF", "REMAINING"}, rows);
    if (u["storage"].value("incoming", 0) > 0)
      std::cout << "storage includes " << size_text(u["storage"]["incoming"])
                << " still downloading for unfinished jobs\n";
  });
}

void add_admin_plans_commands(CLI::App& admin, Context& ctx) {
  auto* plans = admin.add_subcommand("plans", "what each plan allows, and which plan an account is on");
  plans->require_subcommand(1);
  const std::vector<std::string> header = {"ID",   "NAME",      "JOBS",      "STORAGE",
                                           "FILE", "BANDWIDTH", "RETENTION", "SESSIONS"};

  plans->add_subcommand("ls", "list plans and their limits")->callback([&ctx, header] {
    auto res = ctx.call("GET", "/admin/plans");
    if (ctx.json) return print_json(res);
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : res["plans"]) rows.push_back(plan_row(p));
    print_table(header, rows);
  });

  struct Field {
    const char* flag;
    const char* key;
    const char* help;
    bool size;
  };
  static constexpr Field kFields[] = {
      {"max-jobs", "maxActiveJobs", "active jobs at once", false},
      {"storage", "storageBytes", "stored bytes, e.g. 50GB", true},
      {"max-file", "maxFileBytes", "largest single file, e.g. 5GB", true},
      {"bandwidth", "bandwidthBytesPerMonth", "bytes served per calendar month, e.g. 500GB", true},
      {"retention", "retentionDays", "days a completed job's files are kept", false},
      {"sessions", "maxSessions", "logged-in sessions at once", false},
  };
  auto* set = plans->add_subcommand("set", "change a plan's limits (\"unlimited\" lifts one); audited");
  auto id = std::make_shared<std::string>();
  auto name = std::make_shared<std::string>();
  auto values = std::make_shared<std::array<std::string, std::size(kFields)>>();
  set->add_option("plan", *id, "plan id (free, pro, business, enterprise)")->required();
  set->add_option("--name", *name, "display name");
  for (std::size_t i = 0; i < std::size(kFields); ++i)
    set->add_option(std::string("--") + kFields[i].flag, (*values)[i], std::string(kFields[i].help) + ", or unlimited");
  auto set_why = std::make_shared<Why>();
  add_why(set, set_why, true);  // every account on the plan gets the new limits
  set->callback([&ctx, id, name, values, header, set_why] {
    Json body = Json::object();
    if (!name->empty()) body["name"] = *name;
    for (std::size_t i = 0; i < std::size(kFields); ++i)
      if (!(*values)[i].empty()) body[kFields[i].key] = limit_value(kFields[i].flag, (*values)[i], kFields[i].size);
    if (body.empty()) throw Error(Errc::invalid_argument, "nothing to change", "give at least one option; see --help");
    add_why_fields(body, *set_why);
    auto res = ctx.call("PATCH", "/admin/plans/" + *id, body);
    if (ctx.json) return print_json(res);
    print_table(header, {plan_row(res["plan"])});
  });

  auto* assign = plans->add_subcommand("assign", "move an account to a plan; audited");
  auto who = std::make_shared<std::array<std::string, 2>>();
  auto why = std::make_shared<Why>();
  assign->add_option("user", (*who)[0], "user id or email")->required();
  assign->add_option("plan", (*who)[1], "plan id")->required();
  add_why(assign, why, true);
  assign->callback([&ctx, who, why] {
    Json body = {{"plan", (*who)[1]}};
    add_why_fields(body, *why);
    auto res = ctx.call("POST", "/admin/users/" + resolve_user(ctx, (*who)[0]) + "/plan", body);
    if (ctx.json) return print_json(res);
    std::cout << res["user"].value("email", "") << " is now on plan " << res["user"].value("plan", "") << "\n";
  });
}

}  // namespace tseeder::cli
