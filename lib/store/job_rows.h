// How a jobs row is read: the columns every job query selects first, and the Job they make.
// Shared by the store's job queries (the owner's and staff's).
#pragma once
#include <vector>

#include "model/job.h"
#include "store/db.h"

namespace tseeder::store {

extern const char* const kJobColumns;
inline constexpr int kJobColumnCount = 32;  // a query may select more after them

jobs::Job read_job(const Stmt& s);
// Every row `s` gives (it selects kJobColumns first).
std::vector<jobs::Job> read_jobs(Stmt& s);

}  // namespace tseeder::store
