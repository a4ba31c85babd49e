#include "store/fleet_repo.h"

namespace tseeder::store {

void AgentRepo::insert(const AgentRow& a) {
  auto s = db_.prepare(
      "INSERT INTO fleet_agents (id, name, state, version, capabilities, max_jobs, score, boot_id, registered_at, "
      "join_token_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  s.bind(1, a.id).bind(2, a.name).bind(3, a.state).bind(4, a.version).bind(5, a.capabilities);
  s.bind(6, a.max_jobs).bind(7, a.score).bind(8, a.boot_id).bind(9, a.registered_at_ms).bind(10, a.join_token_id);
  s.run();
}

std::vector<AgentRow> AgentRepo::all() {
  auto s = db_.prepare(
      "SELECT id, name, state, version, capabilities, max_jobs, score, boot_id, active_jobs, last_heartbeat_at, "
      "last_event_seq, registered_at, join_token_id FROM fleet_agents ORDER BY registered_at, id");
  std::vector<AgentRow> out;
  while (s.step())
    out.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.int64(5), s.int64(6), s.opt_text(7),
                   s.int64(8), s.opt_int64(9), s.int64(10), s.int64(11), s.opt_text(12)});
  return out;
}

void AgentRepo::set_state(const std::string& id, const std::string& state) {
  auto s = db_.prepare("UPDATE fleet_agents SET state = ?2 WHERE id = ?1");
  s.bind(1, id).bind(2, state);
  s.run();
}

void AgentRepo::heartbeat(const std::string& id, const std::string& boot_id, std::int64_t active_jobs,
                          const std::string& capabilities, std::int64_t max_jobs, std::int64_t score,
                          const std::string& version, std::int64_t now_ms) {
  auto s = db_.prepare(
      "UPDATE fleet_agents SET boot_id = ?2, active_jobs = ?3, capabilities = ?4, max_jobs = ?5, score = ?6, "
      "version = ?7, last_heartbeat_at = ?8 WHERE id = ?1");
  s.bind(1, id).bind(2, boot_id).bind(3, active_jobs).bind(4, capabilities).bind(5, max_jobs).bind(6, score);
  s.bind(7, version).bind(8, now_ms);
  s.run();
}

void AgentRepo::set_last_event_seq(const std::string& id, std::int64_t seq) {
  auto s = db_.prepare("UPDATE fleet_agents SET last_event_seq = ?2 WHERE id = ?1");
  s.bind(1, id).bind(2, seq);
  s.run();
}

void AssignmentRepo::insert(const AssignmentRow& a) {
  auto s = db_.prepare(
      "INSERT OR REPLACE INTO fleet_assignments (job_id, agent_id, token, phase, command, version, sent_version, "
      "assigned_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7)");
  s.bind(1, a.job_id).bind(2, a.agent_id).bind(3, a.token).bind(4, a.phase).bind(5, a.command);
  s.bind(6, a.version).bind(7, a.assigned_at_ms);
  s.run();
}

std::vector<AssignmentRow> AssignmentRepo::all() {
  auto s = db_.prepare(
      "SELECT job_id, agent_id, token, phase, command, version, sent_version, assigned_at, sent_at "
      "FROM fleet_assignments ORDER BY assigned_at, job_id");
  std::vector<AssignmentRow> out;
  while (s.step())
    out.push_back(
        {s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.int64(5), s.int64(6), s.int64(7), s.opt_int64(8)});
  return out;
}

void AssignmentRepo::remove(const std::string& job_id) {
  auto s = db_.prepare("DELETE FROM fleet_assignments WHERE job_id = ?1");
  s.bind(1, job_id);
  s.run();
}

void AssignmentRepo::set_phase(const std::string& job_id, const std::string& phase) {
  auto s = db_.prepare("UPDATE fleet_assignments SET phase = ?2 WHERE job_id = ?1");
  s.bind(1, job_id).bind(2, phase);
  s.run();
}

void AssignmentRepo::set_command(const std::string& job_id, const std::string& command, std::int64_t version) {
  auto s = db_.prepare("UPDATE fleet_assignments SET command = ?2, version = ?3 WHERE job_id = ?1");
  s.bind(1, job_id).bind(2, command).bind(3, version);
  s.run();
}

void AssignmentRepo::mark_sent(const std::string& job_id, std::int64_t version, std::int64_t now_ms) {
  auto s = db_.prepare("UPDATE fleet_assignments SET sent_version = ?2, sent_at = ?3 WHERE job_id = ?1");
  s.bind(1, job_id).bind(2, version).bind(3, now_ms);
  s.run();
}

}  // namespace tseeder::store
