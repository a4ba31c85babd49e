// The controller's side of a fleet: the registry of agents (joining, heartbeats, health, drain,
// removal), the wire they call, and the Workers the job service hands jobs to. A job goes to the
// healthy, non-draining agent with the engine whose (running + 1) / (max jobs × throughput score)
// is least. Agents silent past stale_after lose their jobs to others; an assignment token makes
// sure a job that moved is never finished by its old agent.
#pragma once
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "fleet/join_tokens.h"
#include "fleet/wire_messages.h"
#include "jobs/workers.h"
#include "store/db.h"
#include "store/fleet_repo.h"

namespace tseeder::fleet {

enum class Health { healthy, stale, offline };
const char* to_string(Health h);

struct AgentView {
  store::AgentRow row;
  Health health = Health::healthy;
  std::int64_t running = 0;  // jobs downloading on it now, as the controller assigned them
  std::int64_t last_seen_ms = 0;
};
Json to_json(const AgentView& a);

struct Registration {
  std::string agent_id;
  std::string secret;  // shown to the agent once; derived again from the fleet key when needed
};

class Controller final : public jobs::Workers {
 public:
  // `fleet_key` (DATA_DIR/secrets/fleet.key) derives each agent's secret.
  Controller(store::Db& db, const Clock& clock, audit::AuditLog& audit, JoinTokens& tokens, std::string fleet_key,
             std::int64_t stale_after_ms, bool scan);

  // ---- the wire; each call's signature has been checked ----
  // Calls that can end or move a job take the lifecycle, `jobs`, that applies it.
  // Spends the join token; Error(unauthenticated) when it is not valid.
  Registration register_agent(const std::string& token, const Json& body, const auth::RequestMeta& meta);
  // The secret of a registered agent that was not removed.
  std::optional<std::string> secret_of(const std::string& agent) const;
  Json heartbeat(const std::string& agent, const Json& body, jobs::RemoteEvents& jobs);
  // Commands waiting for the agent: new jobs, changed settings, jobs to stop.
  Json work(const std::string& agent);
  // Applies a batch of the agent's events, each once; answers the last applied number.
  Json events(const std::string& agent, const Json& body, jobs::RemoteEvents& jobs);

  // ---- staff ----
  std::vector<AgentView> agents() const;
  AgentView set_draining(const std::string& id, bool draining);
  // Deregisters: its credential stops working and its jobs go to others.
  void remove(const std::string& id, jobs::RemoteEvents& jobs);

  // Periodic: the jobs of agents silent past stale_after go back to the queue.
  void check_health(jobs::RemoteEvents& jobs);

  // ---- jobs::Workers ----
  // Agents report through the wire, so `events` is not kept: events() hands them to the lifecycle.
  void start(const jobs::Job& job, plugin::Engine& engine, const plugin::JobSettings& settings,
             jobs::EngineSink& events) override;
  void configure(const JobId& job, const plugin::JobSettings& settings) override;
  void stop(const JobId& job) override;
  bool running(const JobId& job) const override { return held_.contains(job); }
  std::size_t active() const override;
  std::size_t capacity() const override;
  std::optional<std::string> unable(const std::string& engine) const override;
  void downloaded(const JobId& job, bool seeding) override;
  bool remote(const JobId& job) const override { return held_.contains(job); }
  // Live details stay on the agent that runs the job: not asked over the wire yet.
  std::optional<std::string> details(const JobId&) const override { return std::nullopt; }
  bool reannounce(const JobId&) override { return false; }

 private:
  struct Agent {
    store::AgentRow row;
    std::set<std::string> engines;
    std::int64_t last_seen_ms = 0;
    std::set<std::pair<std::string, std::string>> stops;  // (job, token) to stop at its next poll
  };
  struct Held {
    store::AssignmentRow row;
    Assignment assignment;
  };
  // A registered agent that was not removed; Error(not_found) otherwise.
  Agent& known(const std::string& id);
  AgentView view(const Agent& a) const;
  // Tells the agent to stop its run of `job` under `token` (once, however often asked).
  void order_stop(Agent& agent, const JobId& job, const std::string& token);
  Health health(const Agent& a) const;
  std::int64_t running_on(const std::string& agent) const;
  bool eligible(const Agent& a) const;  // may get new jobs now
  const Agent* pick(const std::string& engine) const;
  // The agent's jobs go back to the queue, saying why.
  void take_jobs(const std::string& agent, const std::string& why, jobs::RemoteEvents& jobs);
  void apply(Agent& agent, const WireEvent& e, jobs::RemoteEvents& jobs);
  void save_command(Held& h);

  store::Db& db_;
  const Clock& clock_;
  audit::AuditLog& audit_;
  JoinTokens& tokens_;
  std::string fleet_key_;
  std::int64_t stale_after_ms_;
  bool scan_;
  std::map<std::string, Agent> agents_;
  std::map<JobId, Held> held_;
};

}  // namespace tseeder::fleet
