// SQL for fleet_agents and fleet_assignments: the agents of a controller and their jobs.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace tseeder::store {

struct AgentRow {
  std::string id;
  std::string name;
  std::string state = "active";  // active | draining | removed
  std::string version;
  std::string capabilities;  // JSON
  std::int64_t max_jobs = 1;
  std::int64_t score = 1;
  std::optional<std::string> boot_id;
  std::int64_t active_jobs = 0;
  std::optional<std::int64_t> last_heartbeat_ms;
  std::int64_t last_event_seq = 0;
  std::int64_t registered_at_ms = 0;
  std::optional<std::string> join_token_id;
};

struct AssignmentRow {
  std::string job_id;
  std::string agent_id;
  std::string token;
  std::string phase = "downloading";  // downloading | finishing | seeding
  std::string command;                // JSON
  std::int64_t version = 1;
  std::int64_t sent_version = 0;
  std::int64_t assigned_at_ms = 0;
  std::optional<std::int64_t> sent_at_ms;
};

class AgentRepo {
 public:
  explicit AgentRepo(Db& db) : db_(db) {}
  void insert(const AgentRow& a);
  std::vector<AgentRow> all();  // removed ones included
  void set_state(const std::string& id, const std::string& state);
  void heartbeat(const std::string& id, const std::string& boot_id, std::int64_t active_jobs,
                 const std::string& capabilities, std::int64_t max_jobs, std::int64_t score, const std::string& version,
                 std::int64_t now_ms);
  void set_last_event_seq(const std::string& id, std::int64_t seq);

 private:
  Db& db_;
};

class AssignmentRepo {
 public:
  explicit AssignmentRepo(Db& db) : db_(db) {}
  void insert(const AssignmentRow& a);
  std::vector<AssignmentRow> all();
  void remove(const std::string& job_id);
  void set_phase(const std::string& job_id, const std::string& phase);
  void set_command(const std::string& job_id, const std::string& command, std::int64_t version);
  void mark_sent(const std::string& job_id, std::int64_t version, std::int64_t now_ms);

 private:
  Db& db_;
};

}  // namespace tseeder::store
