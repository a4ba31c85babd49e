// SQL for job_events: the persisted timeline of a job, numbered per job.
#pragma once
#include <string>
#include <vector>

#include "core/ids.h"
#include "store/db.h"

namespace tseeder::store {

struct StoredEvent {
  std::int64_t seq = 0;
  std::string type;
  std::string data;  // JSON text
  std::int64_t created_at_ms = 0;
};

class EventRepo {
 public:
  explicit EventRepo(Db& db) : db_(db) {}
  // Takes the job's next sequence number (jobs.last_seq + 1) and returns it.
  std::int64_t next_seq(const JobId& job);
  // Takes the job's next sequence number, stores the event, returns the seq.
  std::int64_t append(const JobId& job, const std::string& type, const std::string& data_json, std::int64_t now_ms);
  // Stores the event numbered `seq`, a number the job's row already counts (see set_status).
  void add(const JobId& job, std::int64_t seq, const std::string& type, const std::string& data_json,
           std::int64_t now_ms);
  std::vector<StoredEvent> after(const JobId& job, std::int64_t seq, int limit = 1000);
  // The job's last `limit` events of one type, newest first.
  std::vector<StoredEvent> latest(const JobId& job, const std::string& type, int limit);

 private:
  Db& db_;
};

}  // namespace tseeder::store
