#include "jobs/staff_jobs.h"

#include "store/job_repo.h"

namespace tseeder::jobs {

Job StaffJobs::get(const JobId& id) {
  auto job = store::JobRepo(db_).find(id);
  if (!job) throw Error(Errc::not_found, "job " + id.value + " not found", "list jobs with `tseeder admin jobs ls`");
  return *job;
}

Job StaffJobs::terminate(const auth::Principal& actor, const JobId& id, const auth::Justification& why,
                         const auth::RequestMeta& meta) {
  auth::check_justification(why, true);
  const Job before = get(id);
  Job after = jobs_.terminate(id, "terminated by staff: " + why.reason);
  audit_.record(&actor, meta, "job.terminate", "job:" + id.value,
                {{"reason", why.reason},
                 {"ticketId", why.ticket_id},
                 {"owner", before.user_id.value},
                 {"from", std::string(to_string(before.status))},
                 {"engine", or_null(before.engine)}});
  return after;
}

}  // namespace tseeder::jobs
