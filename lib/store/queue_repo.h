// SQL for queue_messages: at-least-once dispatch with leases.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "store/db.h"

namespace tseeder::store {

struct QueueMessage {
  std::int64_t id = 0;
  JobId job_id;
  std::int64_t attempts = 0;
  std::int64_t available_at_ms = 0;
};

class QueueRepo {
 public:
  explicit QueueRepo(Db& db) : db_(db) {}
  // Creates the job's message, or makes an existing one available again at `available_at_ms`.
  void enqueue(const JobId& job, const std::string& idempotency_key, std::int64_t available_at_ms, std::int64_t now_ms);
  // Leases up to `limit` ready messages for `owner` until `lease_until_ms`, oldest first.
  std::vector<QueueMessage> lease_ready(const std::string& owner, std::int64_t now_ms, std::int64_t lease_until_ms,
                                        int limit);
  // Gives the lease back; the message becomes ready at `available_at_ms`, attempts bumped if asked.
  void release(const JobId& job, std::int64_t available_at_ms, bool count_attempt,
               const std::optional<std::string>& error);
  void ack(const JobId& job);  // the job needs no more dispatch
  int clear_leases(const std::string& owner);
  std::optional<QueueMessage> find(const JobId& job);
  std::int64_t count();
  // When the next unleased message that is not ready at `now_ms` becomes ready (a backoff ends).
  std::optional<std::int64_t> next_ready_after(std::int64_t now_ms);

 private:
  Db& db_;
};

}  // namespace tseeder::store
