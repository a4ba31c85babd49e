#include "jobs/providers.h"

#include "core/error.h"
#include "plugin/engine.h"
#include "store/job_repo.h"

namespace tseeder::jobs {

namespace {

constexpr const char* kKey = "provider.torrent";

const ProviderInfo* find_provider(const std::string& name) {
  for (const auto& p : known_providers())
    if (p.name == name) return &p;
  return nullptr;
}

std::string known_names() {
  std::string out;
  for (const auto& p : known_providers()) out += (out.empty() ? "" : ", ") + p.name;
  return out;
}

// The provider named so; Error(invalid_argument) for a name tseeder does not know.
const ProviderInfo& known_provider(const std::string& name) {
  if (const auto* p = find_provider(name)) return *p;
  throw Error(Errc::invalid_argument, "provider '" + name + "' is not one tseeder knows", "one of: " + known_names(),
              "provider");
}

// The provider's engine; Error(conflict) when its plugin is not loaded.
const plugin::Engine& loaded_engine(const plugin::PluginHost& plugins, const ProviderInfo& p) {
  if (const auto* e = plugins.find_engine(p.engine)) return *e;
  throw Error(Errc::conflict, "provider '" + p.name + "' needs the " + p.engine + " plugin, which is not loaded",
              "see `tseeder plugins` for what loaded and what was refused");
}

}  // namespace

const std::vector<ProviderInfo>& known_providers() {
  static const std::vector<ProviderInfo> all = {
      {"local", "engine-libtorrent", "libtorrent on this daemon and its agents"},
      {"seedr", "engine-seedr", "Seedr.cc: the service downloads, tseeder pulls the finished files"},
  };
  return all;
}

Providers::Providers(store::Db& db, const Clock& clock, audit::AuditLog& audit, plugin::PluginHost& plugins)
    : db_(db), clock_(clock), audit_(audit), plugins_(plugins) {
  prefer_active();
}

std::string Providers::active() {
  auto value = store::SettingRepo(db_).value(kKey);
  // A name from a newer version of tseeder that this one does not know: the default serves.
  return value && find_provider(*value) ? *value : known_providers().front().name;
}

std::int64_t Providers::version() {
  auto last = store::SettingRepo(db_).history(kKey, std::nullopt, 1);
  return last.empty() ? 0 : last.front().version;
}

Json Providers::describe() {
  const auto now = active();
  Json list = Json::array();
  for (const auto& p : known_providers())
    list.push_back({{"name", p.name},
                    {"engine", p.engine},
                    {"about", p.about},
                    {"loaded", plugins_.find_engine(p.engine) != nullptr},
                    {"active", p.name == now}});
  return Json{{"active", now}, {"version", version()}, {"providers", list}};
}

ProviderSwitch Providers::switch_to(const auth::Principal& actor, const std::string& to, const auth::Justification& why,
                                    const auth::RequestMeta& meta) {
  const ProviderInfo& target = known_provider(to);
  auth::check_justification(why, true);
  ProviderSwitch out;
  out.from = active();
  out.to = to;
  if (out.from == to) throw Error(Errc::conflict, "provider '" + to + "' is active already");
  loaded_engine(plugins_, target);
  const auto old_engine = find_provider(out.from)->engine;
  out.version = store::SettingRepo(db_).set(
      {0, kKey, out.from, to, actor.user.value, why.reason, why.ticket_id, clock_.now_ms()});
  prefer_active();
  for (auto& job : store::JobRepo(db_).in_states(kActiveStates))
    if (job.engine == old_engine) out.in_flight.push_back(std::move(job));
  audit_.record(&actor, meta, "provider.switch", "provider:" + to,
                {{"from", out.from},
                 {"to", to},
                 {"version", out.version},
                 {"inFlight", out.in_flight.size()},
                 {"reason", why.reason},
                 {"ticketId", why.ticket_id}});
  return out;
}

std::vector<store::SettingChange> Providers::history(std::optional<std::int64_t> before, int limit) {
  return store::SettingRepo(db_).history(kKey, before, limit);
}

std::optional<Json> Providers::account(const std::string& provider) const {
  const ProviderInfo* p = find_provider(provider);
  const auto* engine = p ? plugins_.find_engine(p->engine) : nullptr;
  auto text = engine ? engine->provider("status") : std::nullopt;
  if (!text) return std::nullopt;
  try {
    return Json::parse(*text);
  } catch (const std::exception&) {
    return Json{{"healthy", false}, {"reason", p->engine + " answered its status with something that is not JSON"}};
  }
}

Json Providers::login(const std::string& provider, const std::string& step) const {
  const ProviderInfo& p = known_provider(provider);
  auto text = loaded_engine(plugins_, p).provider(step);
  if (!text) throw Error(Errc::conflict, "provider '" + provider + "' has no login");
  Json answer;
  try {
    answer = Json::parse(*text);
  } catch (const std::exception&) {
    throw Error(Errc::unavailable, p.engine + " answered the login with something that is not JSON");
  }
  // The engine's words, when it gives a reason; never assumed to be text.
  if (answer.contains("error"))
    throw Error(
        Errc::unavailable,
        answer["error"].is_string() ? answer["error"].get<std::string>() : p.engine + " could not start the login",
        "try again later");
  return answer;
}

void Providers::record_login(const auth::Principal& actor, const std::string& provider, const auth::RequestMeta& meta) {
  audit_.record(&actor, meta, "provider.login", "provider:" + provider, {{"via", "device code"}});
}

void Providers::prefer_active() {
  const auto& engine = find_provider(active())->engine;
  std::vector<std::string> others;
  for (const auto& p : known_providers())
    if (p.engine != engine) others.push_back(p.engine);
  plugins_.prefer_engine(engine, others);
}

}  // namespace tseeder::jobs
