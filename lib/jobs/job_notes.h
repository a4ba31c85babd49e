// What `GET /jobs/{id}` adds to a job for a person asking after it: the engine's last notices
// (a tracker error, no peers) and, for a job waiting to try again, why and when.
#pragma once
#include <cstdint>

#include "core/json_util.h"
#include "model/job.h"
#include "store/db.h"

namespace tseeder::jobs {

// {"notices": [{"kind", "message", "at"}, …] newest first (at most 3), "retry": {"attempt",
// "lastError", "nextAt"} or null}.
Json job_notes(store::Db& db, const Job& job, std::int64_t now_ms);

}  // namespace tseeder::jobs
