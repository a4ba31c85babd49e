// Staff keep content off this daemon by infohash. Listing one stops the unfinished jobs of it;
// new jobs and magnets whose metadata reveals it are refused (Admission). Every change audited
// and kept in the config history as blocklist.<infohash>.
#pragma once
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "audit/config_history.h"
#include "jobs/admission.h"
#include "model/justification.h"
#include "store/blocklist_repo.h"

namespace tseeder::jobs {

struct BlockResult {
  store::BlockedContent entry;
  int jobs_stopped = 0;
};

class ContentBlocklist {
 public:
  ContentBlocklist(store::Db& db, const Clock& clock, audit::AuditLog& audit, audit::ConfigHistory& history,
                   Admission& jobs)
      : db_(db), clock_(clock), audit_(audit), history_(history), jobs_(jobs) {}
  // The justification's reason is the entry's reason, shown in the list. Both need a reason and a
  // ticket: adding stops jobs, removing lifts a safeguard.
  BlockResult add(const auth::Principal& actor, const std::string& infohash, const auth::Justification& why,
                  const auth::RequestMeta& meta);
  void remove(const auth::Principal& actor, const std::string& infohash, const auth::Justification& why,
              const auth::RequestMeta& meta);
  std::vector<store::BlockedContent> list(int limit, const std::optional<store::Cursor>& after) {
    return store::BlocklistRepo(db_).list(limit, after);
  }

 private:
  store::Db& db_;
  const Clock& clock_;
  audit::AuditLog& audit_;
  audit::ConfigHistory& history_;
  Admission& jobs_;
};

// A v1 (40) or v2 (64) infohash in hex, lower-cased; Error(invalid_argument) otherwise.
std::string normalize_infohash(const std::string& text);
Json to_json(const store::BlockedContent& b);

}  // namespace tseeder::jobs
