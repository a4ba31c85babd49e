#include "fleet/controller.h"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "core/base64.h"
#include "core/digest.h"
#include "core/error.h"
#include "core/ids.h"

namespace tseeder::fleet {

namespace {
// A command sent but not confirmed by the agent's next heartbeats this long is sent again.
constexpr std::int64_t kResendAfterMs = 20'000;
constexpr std::size_t kMaxEngines = 32;
constexpr std::size_t kMaxNameLength = 64;

std::string agent_secret(const std::string& fleet_key, const std::string& agent) {
  return hmac_sha256_hex(fleet_key, "tseeder agent " + agent);
}

// What an agent says it has and can do; checked, since the controller plans with it.
struct Capabilities {
  Json json;
  std::set<std::string> engines;
  std::int64_t max_jobs = 1;
  std::int64_t score = 1;
  std::string version;
};

Capabilities capabilities_from(const Json& body) {
  return decode_message("capabilities", [&] {
    const Json& c = body.at("capabilities");
    Capabilities out;
    out.max_jobs = c.at("maxJobs").get<std::int64_t>();
    out.score = c.at("score").get<std::int64_t>();
    out.version = c.at("version").get<std::string>();
    if (out.max_jobs < 1 || out.max_jobs > 1000 || out.score < 1 || out.score > 1'000'000 ||
        out.version.size() > kMaxNameLength)
      malformed("maxJobs must be 1..1000, score 1..1000000");
    const auto engines = c.at("engines").get<std::vector<std::string>>();
    const auto scanners = c.at("scanners").get<std::vector<std::string>>();
    if (engines.size() > kMaxEngines || scanners.size() > kMaxEngines) malformed("too many engines or scanners");
    for (const auto& e : engines) {
      if (e.empty() || e.size() > kMaxNameLength) malformed("bad engine name");
      out.engines.insert(e);
    }
    out.json = {{"cores", c.at("cores").get<std::int64_t>()},
                {"memoryBytes", c.at("memoryBytes").get<std::uint64_t>()},
                {"freeDiskBytes", c.at("freeDiskBytes").get<std::uint64_t>()},
                {"engines", engines},
                {"scanners", scanners},
                {"maxJobs", out.max_jobs},
                {"score", out.score},
                {"version", out.version}};
    return out;
  });
}

std::set<std::string> engines_of(const std::string& capabilities) {
  try {
    auto v = Json::parse(capabilities).at("engines").get<std::vector<std::string>>();
    return {v.begin(), v.end()};
  } catch (const Json::exception&) {
    return {};
  }
}
}  // namespace

const char* to_string(Health h) {
  switch (h) {
    case Health::healthy:
      return "healthy";
    case Health::stale:
      return "stale";
    case Health::offline:
      return "offline";
  }
  return "?";
}

Json to_json(const AgentView& a) {
  Json caps = Json::parse(a.row.capabilities, nullptr, false);
  return {{"id", a.row.id},
          {"name", a.row.name},
          {"state", a.row.state},
          {"health", a.row.state == "removed" ? "removed" : to_string(a.health)},
          {"version", a.row.version},
          {"running", a.running},
          {"maxJobs", a.row.max_jobs},
          {"load", static_cast<double>(a.running) / static_cast<double>(std::max<std::int64_t>(1, a.row.max_jobs))},
          {"score", a.row.score},
          {"reportedActive", a.row.active_jobs},
          {"lastHeartbeatAt", or_null(a.row.last_heartbeat_ms)},
          {"registeredAt", a.row.registered_at_ms},
          {"capabilities", caps.is_discarded() ? Json::object() : caps}};
}

Controller::Controller(store::Db& db, const Clock& clock, audit::AuditLog& audit, JoinTokens& tokens,
                       std::string fleet_key, std::int64_t stale_after_ms, bool scan)
    : db_(db),
      clock_(clock),
      audit_(audit),
      tokens_(tokens),
      fleet_key_(std::move(fleet_key)),
      stale_after_ms_(stale_after_ms),
      scan_(scan) {
  // After a restart every agent gets a full window to be heard from again.
  const auto now = clock_.now_ms();
  for (auto& row : store::AgentRepo(db_).all()) {
    Agent a;
    a.engines = engines_of(row.capabilities);
    a.last_seen_ms = now;
    a.row = std::move(row);
    agents_[a.row.id] = std::move(a);
  }
  for (auto& row : store::AssignmentRepo(db_).all()) {
    Held h;
    h.assignment = decode_message("assignment", [&] { return assignment_from(Json::parse(row.command)); });
    h.row = std::move(row);
    held_[JobId{h.row.job_id}] = std::move(h);
  }
}

Registration Controller::register_agent(const std::string& token, const Json& body, const auth::RequestMeta& meta) {
  auto caps = capabilities_from(body);
  auto name = decode_message("register", [&] { return body.at("name").get<std::string>(); });
  auto boot = decode_message("register", [&] { return body.at("bootId").get<std::string>(); });
  if (name.empty() || name.size() > kMaxNameLength || !is_lower_hex(boot, 32))
    throw Error(Errc::invalid_argument, "agent name must be 1..64 characters and bootId 32 hex digits");
  store::AgentRow row;
  row.id = random_hex_id(8);
  const auto spent = tokens_.redeem(token, row.id);
  row.name = name;
  row.version = caps.version;
  row.capabilities = dump_json(caps.json);
  row.max_jobs = caps.max_jobs;
  row.score = caps.score;
  row.boot_id = boot;
  row.registered_at_ms = clock_.now_ms();
  row.join_token_id = spent.id;
  store::AgentRepo(db_).insert(row);
  Agent a;
  a.engines = caps.engines;
  a.last_seen_ms = row.registered_at_ms;
  a.row = row;
  agents_[row.id] = std::move(a);
  audit_.record(nullptr, meta, "fleet.agent.register", "agent:" + row.id,
                {{"name", row.name}, {"joinToken", spent.id}, {"capabilities", caps.json}});
  return {row.id, agent_secret(fleet_key_, row.id)};
}

std::optional<std::string> Controller::secret_of(const std::string& agent) const {
  auto it = agents_.find(agent);
  if (it == agents_.end() || it->second.row.state == "removed") return std::nullopt;
  return agent_secret(fleet_key_, agent);
}

Controller::Agent& Controller::known(const std::string& id) {
  auto it = agents_.find(id);
  if (it == agents_.end() || it->second.row.state == "removed")
    throw Error(Errc::not_found, "agent " + id + " not found", "list agents with `tseeder admin fleet ls`");
  return it->second;
}

Health Controller::health(const Agent& a) const {
  const auto silent = clock_.now_ms() - a.last_seen_ms;
  return silent < stale_after_ms_ ? Health::healthy : silent < 2 * stale_after_ms_ ? Health::stale : Health::offline;
}

std::int64_t Controller::running_on(const std::string& agent) const {
  std::int64_t n = 0;
  for (const auto& [id, h] : held_) n += h.row.agent_id == agent && h.row.phase == "downloading";
  return n;
}

bool Controller::eligible(const Agent& a) const {
  return a.row.state == "active" && health(a) == Health::healthy;
}

const Controller::Agent* Controller::pick(const std::string& engine) const {
  const Agent* best = nullptr;
  double best_cost = 0;
  std::int64_t best_running = 0;
  for (const auto& [id, a] : agents_) {
    if (!eligible(a) || !a.engines.contains(engine)) continue;
    const auto running = running_on(id);
    if (running >= a.row.max_jobs) continue;
    const double cost = static_cast<double>(running + 1) / static_cast<double>(a.row.max_jobs * a.row.score);
    if (!best || cost < best_cost || (cost == best_cost && running < best_running)) {
      best = &a;
      best_cost = cost;
      best_running = running;
    }
  }
  return best;
}

Json Controller::heartbeat(const std::string& agent_id, const Json& body, jobs::RemoteEvents& jobs) {
  Agent& a = known(agent_id);
  auto caps = capabilities_from(body);
  struct Listed {
    std::string token;
    std::int64_t version;
  };
  std::map<JobId, Listed> listed;
  std::string boot;
  std::int64_t active = 0;
  decode_message("heartbeat", [&] {
    boot = body.at("bootId").get<std::string>();
    active = body.at("active").get<std::int64_t>();
    for (const auto& j : body.at("jobs")) {
      Listed l{j.at("token").get<std::string>(), j.at("version").get<std::int64_t>()};
      const JobId job{j.at("jobId").get<std::string>()};
      if (!looks_like_id(job.value) || !is_token(l.token)) malformed("a listed job needs a job id and its token");
      listed[job] = std::move(l);
    }
    return 0;
  });
  if (!is_lower_hex(boot, 32) || active < 0)
    throw Error(Errc::invalid_argument, "heartbeat: bootId must be 32 hex digits and active at least 0");
  const auto now = clock_.now_ms();
  const std::string capabilities = dump_json(caps.json);
  if (a.row.boot_id && *a.row.boot_id != boot) {
    // A new start numbers its events from 1 again, and what it ran is gone.
    take_jobs(agent_id, "agent " + a.row.name + " restarted", jobs);
    store::AgentRepo(db_).set_last_event_seq(agent_id, 0);
    a.row.last_event_seq = 0;
  }
  store::AgentRepo(db_).heartbeat(agent_id, boot, active, capabilities, caps.max_jobs, caps.score, caps.version, now);
  a.row.boot_id = boot;
  a.row.active_jobs = active;
  a.row.capabilities = capabilities;
  a.row.max_jobs = caps.max_jobs;
  a.row.score = caps.score;
  a.row.version = caps.version;
  a.row.last_heartbeat_ms = now;
  a.engines = caps.engines;
  a.last_seen_ms = now;
  // What the agent runs and what it was given must agree: runs it should not have stop; given
  // work it never got, or settings it missed, are sent again.
  store::AssignmentRepo repo(db_);
  for (const auto& [job, l] : listed) {
    auto it = held_.find(job);
    if (it == held_.end() || it->second.row.agent_id != agent_id || it->second.row.token != l.token) {
      order_stop(a, job, l.token);
    } else if (l.version < it->second.row.sent_version) {
      it->second.row.sent_version = l.version;
      repo.mark_sent(job.value, l.version, now);
    }
  }
  for (auto& [job, h] : held_) {
    if (h.row.agent_id != agent_id || listed.contains(job) || h.row.sent_version == 0) continue;
    if (h.row.sent_at_ms && now - *h.row.sent_at_ms > kResendAfterMs) {
      h.row.sent_version = 0;
      repo.mark_sent(job.value, 0, now);
    }
  }
  return {{"ok", true}, {"state", a.row.state}};
}

Json Controller::work(const std::string& agent_id) {
  Agent& a = known(agent_id);
  a.last_seen_ms = clock_.now_ms();  // a poll each second says it is alive between heartbeats
  Json commands = Json::array();
  for (const auto& [job, token] : a.stops) commands.push_back({{"type", "stop"}, {"jobId", job}, {"token", token}});
  a.stops.clear();
  const auto now = clock_.now_ms();
  store::AssignmentRepo repo(db_);
  for (auto& [job, h] : held_) {
    if (h.row.agent_id != agent_id || h.row.sent_version >= h.row.version) continue;
    commands.push_back(
        {{"type", h.row.sent_version == 0 ? "assign" : "configure"}, {"assignment", to_json(h.assignment)}});
    h.row.sent_version = h.row.version;
    h.row.sent_at_ms = now;
    repo.mark_sent(job.value, h.row.version, now);
  }
  return {{"commands", commands}};
}

Json Controller::events(const std::string& agent_id, const Json& body, jobs::RemoteEvents& jobs) {
  Agent& a = known(agent_id);
  auto batch = decode_message("events", [&] {
    std::vector<WireEvent> out;
    for (const auto& e : body.at("events")) out.push_back(wire_event_from(e));
    return out;
  });
  std::int64_t last = a.row.last_event_seq;
  for (const auto& e : batch) {
    if (e.seq <= last) continue;  // sent again after a lost reply: applied already
    last = e.seq;
    try {
      apply(a, e, jobs);
    } catch (const Error& err) {
      // One bad event must not block the agent's later ones; the job goes on or times out.
      audit_.record_system("fleet.event.rejected", "agent:" + agent_id,
                           {{"jobId", e.job.value}, {"type", e.type}, {"error", err.message()}});
    }
  }
  if (last != a.row.last_event_seq) {
    store::AgentRepo(db_).set_last_event_seq(agent_id, last);
    a.row.last_event_seq = last;
  }
  return {{"applied", last}};
}

void Controller::apply(Agent& agent, const WireEvent& e, jobs::RemoteEvents& s) {
  auto it = held_.find(e.job);
  if (it == held_.end() || it->second.row.agent_id != agent.row.id || it->second.row.token != e.token) {
    // Of an assignment that ended or moved: its run on the agent stops, nothing else happens.
    if (e.type != "ended") order_stop(agent, e.job, e.token);
    return;
  }
  const JobId id = e.job;
  const UserId owner = it->second.assignment.owner;
  const Json& d = e.data;
  // A malformed event is refused (the caller audits it); what the service makes of a well-formed
  // one may fail the job, never the controller.
  auto apply_to_job = [&](const std::function<void()>& work) { s.guarded(id, work); };
  if (e.type == "ended") {
    held_.erase(it);
    store::AssignmentRepo(db_).remove(id.value);
  } else if (e.type == "metadata") {
    auto [name, total, files] = decode_message("metadata", [&] {
      return std::tuple{d.at("name").get<std::string>(), optional_at<std::uint64_t>(d, "total"), engine_files_from(d)};
    });
    apply_to_job([&] { s.on_metadata(id, name, total, files); });
  } else if (e.type == "progress") {
    auto p = decode_message("progress", [&] { return progress_from(d); });
    apply_to_job([&] { s.on_progress(id, p); });
  } else if (e.type == "content_ids") {
    auto [ids, is_private] = decode_message("content_ids", [&] {
      return std::pair{d.at("ids").get<std::vector<std::string>>(), optional_at<bool>(d, "private")};
    });
    apply_to_job([&] { s.on_content_ids(id, ids, is_private); });
  } else if (e.type == "notice") {
    auto [kind, message] = decode_message("notice", [&] {
      return std::pair{d.at("kind").get<std::string>(), d.at("message").get<std::string>()};
    });
    apply_to_job([&] { s.on_notice(id, kind, message); });
  } else if (e.type == "completed") {
    auto [files, seeding] = decode_message("completed", [&] {
      return std::pair{engine_files_from(d), d.at("seeding").get<bool>()};
    });
    apply_to_job([&] { s.on_completed(id, files, seeding); });
  } else if (e.type == "seeding_done") {
    auto [up, secs] = decode_message("seeding_done", [&] {
      return std::pair{d.at("uploaded").get<std::uint64_t>(), d.at("seconds").get<std::uint64_t>()};
    });
    apply_to_job([&] { s.on_seeding_done(id, up, secs); });
  } else if (e.type == "failed") {
    auto [reason, retryable] = decode_message("failed", [&] {
      return std::pair{d.at("reason").get<std::string>(), d.at("retryable").get<bool>()};
    });
    apply_to_job([&] { s.on_failed(id, reason, retryable); });
  } else if (e.type == "scanned") {
    auto outcome = decode_message("scanned", [&] { return scan_outcome_from(d); });
    apply_to_job([&] { s.on_scanned(id, outcome); });
  } else if (e.type == "stored") {
    auto outcome = decode_message("stored", [&] { return store_outcome_from(d, id, owner); });
    apply_to_job([&] { s.on_stored(id, outcome); });
  } else {
    throw Error(Errc::invalid_argument, "unknown fleet event type '" + e.type + "'");
  }
}

void Controller::take_jobs(const std::string& agent, const std::string& why, jobs::RemoteEvents& jobs) {
  std::vector<JobId> held;
  for (const auto& [job, h] : held_)
    if (h.row.agent_id == agent) held.push_back(job);
  for (const auto& job : held) {
    jobs.requeue(job, why + "; back in the queue for another agent");
    stop(job);  // a job that was no longer running (stored, seeding) is only released
  }
}

void Controller::check_health(jobs::RemoteEvents& jobs) {
  for (auto& [id, a] : agents_) {
    // Jobs of an agent that fell silent go to others; once taken it holds none until it is back.
    if (a.row.state == "removed" || health(a) == Health::healthy) continue;
    if (std::none_of(held_.begin(), held_.end(), [&](const auto& h) { return h.second.row.agent_id == id; })) continue;
    audit_.record_system("fleet.agent.stale", "agent:" + id,
                         {{"name", a.row.name}, {"silentMs", clock_.now_ms() - a.last_seen_ms}});
    take_jobs(id,
              "agent " + a.row.name + " stopped answering (no heartbeat for " + std::to_string(stale_after_ms_ / 1000) +
                  " s)",
              jobs);
  }
}

AgentView Controller::view(const Agent& a) const {
  return {a.row, health(a), running_on(a.row.id), a.last_seen_ms};
}

std::vector<AgentView> Controller::agents() const {
  std::vector<AgentView> out;
  for (const auto& [id, a] : agents_) out.push_back(view(a));
  return out;
}

AgentView Controller::set_draining(const std::string& id, bool draining) {
  Agent& a = known(id);
  const std::string state = draining ? "draining" : "active";
  if (a.row.state != state) {
    store::AgentRepo(db_).set_state(id, state);
    a.row.state = state;
  }
  return view(a);
}

void Controller::remove(const std::string& id, jobs::RemoteEvents& jobs) {
  Agent& a = known(id);
  store::AgentRepo(db_).set_state(id, "removed");
  a.row.state = "removed";
  take_jobs(id, "agent " + a.row.name + " was removed from the fleet", jobs);
}

// ---- jobs::Workers ----

void Controller::start(const jobs::Job& job, plugin::Engine& engine, const plugin::JobSettings& settings,
                       jobs::EngineSink&) {
  const Agent* a = pick(engine.name());
  if (!a) throw Error(Errc::unavailable, "no agent can take a job for engine " + engine.name() + " now");
  Held h;
  auto& as = h.assignment;
  as.job = job.id;
  as.owner = job.user_id;
  as.token = random_hex_id(8);
  as.engine = engine.name();
  as.source_kind = job.source_kind;
  as.source = job.source;
  if (job.source_kind == "torrent") {
    // The agent gets the uploaded .torrent itself; on the controller it is only a local file.
    std::ifstream in(job.source, std::ios::binary);
    std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (!in.good() && !in.eof()) throw Error(Errc::io, "cannot read " + job.source);
    as.source = encode_base64(bytes);
  }
  as.infohash = job.infohash;
  as.name = job.name;
  as.scan = scan_;
  as.settings = settings;
  h.row.job_id = job.id.value;
  h.row.agent_id = a->row.id;
  h.row.token = as.token;
  h.row.command = dump_json(to_json(as));
  h.row.assigned_at_ms = clock_.now_ms();
  store::AssignmentRepo(db_).insert(h.row);
  held_[job.id] = std::move(h);
}

void Controller::order_stop(Agent& agent, const JobId& job, const std::string& token) {
  agent.stops.emplace(job.value, token);  // every event of an old run would ask again: once is enough
}

void Controller::save_command(Held& h) {
  h.row.version = ++h.assignment.version;
  h.row.command = dump_json(to_json(h.assignment));
  store::AssignmentRepo(db_).set_command(h.row.job_id, h.row.command, h.row.version);
}

void Controller::configure(const JobId& job, const plugin::JobSettings& settings) {
  auto it = held_.find(job);
  if (it == held_.end() || it->second.assignment.settings == settings) return;
  it->second.assignment.settings = settings;
  save_command(it->second);
}

void Controller::stop(const JobId& job) {
  auto it = held_.find(job);
  if (it == held_.end()) return;
  if (auto a = agents_.find(it->second.row.agent_id); a != agents_.end())
    order_stop(a->second, job, it->second.row.token);
  held_.erase(it);
  store::AssignmentRepo(db_).remove(job.value);
}

std::size_t Controller::active() const {
  std::size_t n = 0;
  for (const auto& [id, h] : held_) n += h.row.phase == "downloading";
  return n;
}

std::size_t Controller::capacity() const {
  std::size_t free = 0;
  for (const auto& [id, a] : agents_)
    if (eligible(a)) free += static_cast<std::size_t>(std::max<std::int64_t>(0, a.row.max_jobs - running_on(id)));
  return active() + free;
}

std::optional<std::string> Controller::unable(const std::string& engine) const {
  if (pick(engine)) return std::nullopt;
  std::size_t healthy = 0;
  for (const auto& [id, a] : agents_) healthy += eligible(a);
  return "waiting for an agent with engine " + engine + " and a free slot (" + std::to_string(healthy) +
         " healthy agent(s) taking work)";
}

void Controller::downloaded(const JobId& job, bool seeding) {
  auto it = held_.find(job);
  if (it == held_.end()) return;
  it->second.row.phase = seeding ? "seeding" : "finishing";
  store::AssignmentRepo(db_).set_phase(job.value, it->second.row.phase);
}

}  // namespace tseeder::fleet
