#include "jobs/blocklist.h"

#include <cctype>

#include "core/error.h"
#include "model/justification.h"

namespace tseeder::jobs {
namespace {

constexpr const char* kNotBlocked = "not blocked";

}  // namespace

std::string normalize_infohash(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) {
      out.clear();
      break;
    }
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (out.size() != 40 && out.size() != 64)
    throw Error(Errc::invalid_argument, "'" + text.substr(0, 80) + "' is not an infohash",
                "40 hex characters (v1) or 64 (v2)", "infohash");
  return out;
}

BlockResult ContentBlocklist::add(const auth::Principal& actor, const std::string& infohash,
                                  const auth::Justification& why, const auth::RequestMeta& meta) {
  BlockResult out;
  out.entry = {normalize_infohash(infohash), why.reason, actor.user.value, clock_.now_ms()};
  auth::check_justification(why, true);
  {
    store::Transaction tx(db_);
    if (!store::BlocklistRepo(db_).add(out.entry))
      throw Error(Errc::conflict, "infohash " + out.entry.infohash + " is blocked already",
                  "see tseeder admin blocklist ls");
    history_.record(actor, why, {{"blocklist." + out.entry.infohash, kNotBlocked, "blocked"}});
    tx.commit();
  }
  out.jobs_stopped = jobs_.stop_blocked(out.entry.infohash);
  audit_.record(&actor, meta, "blocklist.add", "infohash:" + out.entry.infohash,
                {{"reason", why.reason}, {"ticketId", why.ticket_id}, {"jobsStopped", out.jobs_stopped}});
  return out;
}

void ContentBlocklist::remove(const auth::Principal& actor, const std::string& infohash, const auth::Justification& why,
                              const auth::RequestMeta& meta) {
  const auto h = normalize_infohash(infohash);
  auth::check_justification(why, true);
  store::Transaction tx(db_);
  if (!store::BlocklistRepo(db_).remove(h))
    throw Error(Errc::not_found, "infohash " + h + " is not blocked", "see tseeder admin blocklist ls");
  history_.record(actor, why, {{"blocklist." + h, "blocked", kNotBlocked}});
  audit_.record(&actor, meta, "blocklist.remove", "infohash:" + h,
                {{"reason", why.reason}, {"ticketId", why.ticket_id}});
  tx.commit();
}

Json to_json(const store::BlockedContent& b) {
  return {
      {"infohash", b.infohash}, {"reason", b.reason}, {"addedBy", or_null(b.added_by)}, {"createdAt", b.created_at_ms}};
}

}  // namespace tseeder::jobs
