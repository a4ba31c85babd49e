#include "jobs/dead_letters.h"

namespace tseeder::jobs {

Job DeadLetters::replay(const auth::Principal& actor, const JobId& id, const auth::Justification& why,
                        const auth::RequestMeta& meta) {
  auth::check_justification(why, true);
  auto entry = store::DeadLetterRepo(db_).find(id);
  if (!entry)
    throw Error(Errc::not_found, "job " + id.value + " is not in the dead-letter list", "see tseeder admin dlq ls");
  Job job = jobs_.retry(entry->user_id, id, "replayed from the dead-letter list by staff");
  audit_.record(&actor, meta, "dlq.replay", "job:" + id.value,
                {{"reason", why.reason},
                 {"ticketId", why.ticket_id},
                 {"owner", entry->user_id.value},
                 {"attempts", entry->attempts},
                 {"lastError", entry->last_error}});
  return job;
}

Json to_json(const store::DeadLetter& d) {
  return {{"jobId", d.job_id.value},   {"userId", d.user_id.value},   {"sourceKind", d.source_kind},
          {"name", or_null(d.name)},   {"engine", or_null(d.engine)}, {"attempts", d.attempts},
          {"lastError", d.last_error}, {"deadAt", d.dead_at_ms}};
}

}  // namespace tseeder::jobs
