// Staff set where crypto payments are received, what each plan costs and what each coin is worth. Every change is
// audited and kept in the config history (wallet.<id>, price.<plan>.<days>d, rate.<coin>).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "audit/config_history.h"
#include "core/clock.h"
#include "model/justification.h"
#include "model/plan.h"
#include "store/wallet_repo.h"

namespace tseeder::billing {

struct NewWallet {
  std::string coin;
  std::string network;
  std::string address;
};

class WalletAdmin {
 public:
  WalletAdmin(store::Db& db, const Clock& clock, audit::AuditLog& audit, audit::ConfigHistory& history)
      : db_(db), clock_(clock), audit_(audit), history_(history) {}
  // The address is checked against its network's form and checksum before anything is saved.
  store::Wallet add(const auth::Principal& actor, NewWallet w, const auth::RequestMeta& meta);
  std::vector<store::Wallet> list() { return store::WalletRepo(db_).list(); }
  // Needs a reason and a ticket: payments to it stop being matched to orders.
  store::Wallet disable(const auth::Principal& actor, const std::string& id, const auth::Justification& why,
                        const auth::RequestMeta& meta);
  // `usd` as people write it ("4.85"); a period of 1 to 3660 days.
  store::Price set_price(const auth::Principal& actor, const std::string& plan, std::int64_t period_days,
                         const std::string& usd, const auth::Justification& why, const auth::RequestMeta& meta);
  std::vector<store::Price> prices() { return store::WalletRepo(db_).prices(); }
  // What one coin is worth in US dollars ("97000.5", up to six decimals); orders use it.
  store::Rate set_rate(const auth::Principal& actor, const std::string& coin, const std::string& usd,
                       const auth::Justification& why, const auth::RequestMeta& meta);
  std::vector<store::Rate> rates() { return store::WalletRepo(db_).rates(); }

 private:
  store::Db& db_;
  const Clock& clock_;
  audit::AuditLog& audit_;
  audit::ConfigHistory& history_;
};

struct PricedPlan {
  quota::Plan plan;
  store::Price price;
};
// What `plan` costs for `period_days`, for an order or a checkout: Error(invalid_argument, field
// "plan") when the plan does not exist or has no price for that period.
PricedPlan priced_plan(store::Db& db, const std::string& plan, std::int64_t period_days);

// "4.85" with 2 decimals → 485: digits, at most `decimals` after the point, above 0 and at most
// `most` units; Error(invalid_argument, field "usd") otherwise. No floating point.
std::int64_t parse_usd(const std::string& text, int decimals, std::int64_t most);
std::string usd_text(std::int64_t units, int decimals);  // 485, 2 → "4.85"
Json to_json(const store::Wallet& w);
Json to_json(const store::Rate& r);
Json to_json(const store::Price& p);

}  // namespace tseeder::billing
