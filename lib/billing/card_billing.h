// Card payments as a second path to a plan: a checkout session at a Stripe-style processor for a
// plan's price, renewed every period as a subscription, and the processor's signed webhook events
// applied once each: a completed checkout grants the period like a confirmed crypto order, a
// renewal extends it, a cancelled subscription ends it, a failed payment is told to the owner.
// The calls to the processor are made by the caller off the loop; everything here is store work.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "audit/audit_log.h"
#include "billing/paid_plans.h"
#include "core/clock.h"
#include "core/json_util.h"
#include "model/principal.h"
#include "net/card_api.h"
#include "store/card_repo.h"

namespace tseeder::billing {

struct CardSettings {
  bool enabled = false;     // a secret key is set
  std::string success_url;  // where the processor sends the user after paying; empty: public_url()
  std::string cancel_url;   // … after giving up, and where its customer portal returns; empty: public_url()
  std::function<std::string()> public_url;  // the daemon's address once it listens
};

// What to ask the processor for, and what to record once it answers.
struct CheckoutDraft {
  net::FormFields fields;
  store::CardCheckout row;  // session_id filled from the answer
};

class CardBilling {
 public:
  CardBilling(store::Db& db, const Clock& clock, audit::AuditLog& audit, PaidPlans& plans, CardSettings settings)
      : db_(db), clock_(clock), audit_(audit), plans_(plans), settings_(std::move(settings)) {}
  // Error(conflict) when card payments are not set up, invalid_argument for a plan without a price.
  CheckoutDraft draft_checkout(const auth::Principal& who, const std::string& plan, std::int64_t period_days);
  // The processor's checkout session recorded; its URL for the user.
  std::string record_checkout(const auth::Principal& who, CheckoutDraft d, const Json& session,
                              const auth::RequestMeta& meta);
  // The fields of a customer-portal session for the caller; Error(conflict) when they have never
  // paid by card.
  net::FormFields draft_portal(const auth::Principal& who);
  // A verified event (id, type, data.object), applied once; what became of it.
  std::string apply_event(const Json& event);

 private:
  std::string on_checkout_completed(const Json& session, std::vector<std::pair<UserId, PaidPeriod>>& granted);
  std::string on_subscription(const std::string& type, const Json& sub,
                              std::vector<std::pair<UserId, std::string>>& ended);
  std::string on_payment_failed(const Json& invoice, std::vector<UserId>& told);
  void require_enabled() const;
  std::string url_or_public(const std::string& url) const { return url.empty() ? settings_.public_url() : url; }

  store::Db& db_;
  const Clock& clock_;
  audit::AuditLog& audit_;
  PaidPlans& plans_;
  CardSettings settings_;
};

}  // namespace tseeder::billing
