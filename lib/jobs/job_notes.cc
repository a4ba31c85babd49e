#include "jobs/job_notes.h"

#include "store/event_repo.h"
#include "store/queue_repo.h"

namespace tseeder::jobs {

Json job_notes(store::Db& db, const Job& job, std::int64_t now_ms) {
  store::EventRepo events(db);
  Json notices = Json::array();
  for (const auto& e : events.latest(job.id, "notice", 3)) {
    const Json data = Json::parse(e.data, nullptr, false);
    if (!data.is_object()) continue;
    notices.push_back(
        {{"kind", data.value("kind", "")}, {"message", data.value("message", "")}, {"at", iso8601(e.created_at_ms)}});
  }
  Json retry = nullptr;
  if (job.status == JobState::queued) {
    const auto message = store::QueueRepo(db).find(job.id);
    if (message && message->attempts > 0 && message->available_at_ms > now_ms) {
      // The move back to queued says what failed ("attempt 2 failed: …; retrying in 8 s").
      const auto last = events.latest(job.id, "status", 1);
      const Json data = last.empty() ? Json() : Json::parse(last[0].data, nullptr, false);
      retry = {{"attempt", message->attempts},
               {"lastError", data.is_object() ? data.value("reason", Json()) : Json()},
               {"nextAt", iso8601(message->available_at_ms)}};
    }
  }
  return {{"notices", std::move(notices)}, {"retry", std::move(retry)}};
}

}  // namespace tseeder::jobs
