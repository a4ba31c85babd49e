#include "billing/card_billing.h"

#include <vector>

#include "billing/wallet_admin.h"
#include "core/error.h"
#include "store/user_repo.h"

namespace tseeder::billing {
namespace {

constexpr std::int64_t kMostCardPeriodDays = 1095;  // the processor renews at most every three years

constexpr std::size_t kMostIdBytes = 255;  // the processor's ids and statuses are short
constexpr std::size_t kMostUrlBytes = 4096;

// A text field of the processor's object; "" when absent, not text, or longer than `most`
// (nothing longer is stored or looked up).
std::string text_of(const Json& obj, const char* key, std::size_t most = kMostIdBytes) {
  if (!obj.contains(key) || !obj[key].is_string()) return {};
  auto text = obj[key].get<std::string>();
  return text.size() <= most ? text : std::string();
}

// A subscription's period end: on the object (older API versions) or on its first item (newer).
std::int64_t period_end_s(const Json& sub) {
  if (sub.contains("current_period_end") && sub["current_period_end"].is_number_integer())
    return sub["current_period_end"].get<std::int64_t>();
  if (sub.contains("items") && sub["items"].is_object() && sub["items"].contains("data") &&
      sub["items"]["data"].is_array() && !sub["items"]["data"].empty()) {
    const auto& item = sub["items"]["data"][0];
    if (item.is_object() && item.contains("current_period_end") && item["current_period_end"].is_number_integer())
      return item["current_period_end"].get<std::int64_t>();
  }
  return 0;
}

}  // namespace

void CardBilling::require_enabled() const {
  if (!settings_.enabled)
    throw Error(Errc::conflict, "card payments are not set up on this server",
                "pay with crypto (tseeder wallet buy), or the operator sets billing.card.secret_key");
}

CheckoutDraft CardBilling::draft_checkout(const auth::Principal& who, const std::string& plan,
                                          std::int64_t period_days) {
  require_enabled();
  if (period_days < 1 || period_days > kMostCardPeriodDays)
    throw Error(Errc::invalid_argument, "a card subscription renews every 1 to 1095 days", {}, "periodDays");
  const auto [p, price] = priced_plan(db_, plan, period_days);
  const std::string days = std::to_string(period_days);
  net::FormFields f{{"mode", "subscription"},
                    {"client_reference_id", who.user.value},
                    {"success_url", url_or_public(settings_.success_url)},
                    {"cancel_url", url_or_public(settings_.cancel_url)},
                    {"line_items[0][quantity]", "1"},
                    {"line_items[0][price_data][currency]", "usd"},
                    {"line_items[0][price_data][unit_amount]", std::to_string(price.usd_cents)},
                    {"line_items[0][price_data][recurring][interval]", "day"},
                    {"line_items[0][price_data][recurring][interval_count]", days},
                    {"line_items[0][price_data][product_data][name]", p.name + " plan, " + days + " days"},
                    {"metadata[user]", who.user.value},
                    {"metadata[plan]", plan},
                    {"metadata[periodDays]", days},
                    {"subscription_data[metadata][user]", who.user.value},
                    {"subscription_data[metadata][plan]", plan}};
  if (auto c = store::CardRepo(db_).customer_of_user(who.user.value)) {
    f.emplace_back("customer", c->customer_id);
  } else if (auto u = store::UserRepo(db_).find(who.user); u && u->email) {
    f.emplace_back("customer_email", *u->email);
  }
  return {std::move(f), {"", who.user.value, plan, period_days, price.usd_cents, 0, std::nullopt}};
}

std::string CardBilling::record_checkout(const auth::Principal& who, CheckoutDraft d, const Json& session,
                                         const auth::RequestMeta& meta) {
  d.row.session_id = text_of(session, "id");
  const std::string url = text_of(session, "url", kMostUrlBytes);
  if (d.row.session_id.empty() || url.rfind("https://", 0) != 0)
    throw Error(Errc::unavailable, "the card processor answered a checkout session without an id or https URL");
  d.row.created_at_ms = clock_.now_ms();
  store::Transaction tx(db_);
  store::CardRepo(db_).add_checkout(d.row);
  audit_.record(&who, meta, "card.checkout", "checkout:" + d.row.session_id,
                {{"plan", d.row.plan_id}, {"periodDays", d.row.period_days}, {"usdCents", d.row.usd_cents}});
  tx.commit();
  return url;
}

net::FormFields CardBilling::draft_portal(const auth::Principal& who) {
  require_enabled();
  auto c = store::CardRepo(db_).customer_of_user(who.user.value);
  if (!c) throw Error(Errc::conflict, "you have not paid by card yet", "start with tseeder wallet checkout PLAN");
  return {{"customer", c->customer_id}, {"return_url", url_or_public(settings_.cancel_url)}};
}

std::string CardBilling::apply_event(const Json& event) {
  const std::string id = text_of(event, "id"), type = text_of(event, "type");
  if (id.empty() || type.empty() || !event.contains("data") || !event["data"].is_object() ||
      !event["data"].contains("object") || !event["data"]["object"].is_object())
    throw Error(Errc::invalid_argument, "a webhook event needs an id, a type and data.object");
  store::CardRepo cards(db_);
  if (cards.has_event(id)) return "duplicate";
  const Json& obj = event["data"]["object"];
  std::vector<std::pair<UserId, PaidPeriod>> granted;
  std::vector<std::pair<UserId, std::string>> ended;
  std::vector<UserId> told;
  store::Transaction tx(db_);
  std::string outcome = "ignored";
  if (type == "checkout.session.completed") outcome = on_checkout_completed(obj, granted);
  if (type == "customer.subscription.updated" || type == "customer.subscription.deleted")
    outcome = on_subscription(type, obj, ended);
  if (type == "invoice.payment_failed") outcome = on_payment_failed(obj, told);
  cards.take_event(id, type, outcome, clock_.now_ms());
  tx.commit();
  for (const auto& [user, period] : granted) plans_.announce(user, period);
  for (const auto& [user, plan] : ended) plans_.announce_end(user, plan);
  for (const auto& user : told)
    plans_.tell(user, "Your card payment failed",
                "The card payment for your plan did not go through; the processor will try again.\n"
                "Update your card in the customer portal: tseeder wallet portal\n"
                "If no payment succeeds, your plan goes back to free when the paid period ends.\n");
  return outcome;
}

std::string CardBilling::on_checkout_completed(const Json& session,
                                               std::vector<std::pair<UserId, PaidPeriod>>& granted) {
  store::CardRepo cards(db_);
  const std::string id = text_of(session, "id");
  const auto row = cards.checkout(id);
  if (!row) return "unknown checkout session";
  if (text_of(session, "payment_status") != "paid") return "not paid";
  if (!cards.complete_checkout(id, clock_.now_ms())) return "applied before";
  const UserId user{row->user_id};
  granted.emplace_back(user, plans_.grant(user, row->plan_id, row->period_days, "card:" + id));
  const std::string customer = text_of(session, "customer"), subscription = text_of(session, "subscription");
  if (!customer.empty())
    cards.set_customer({row->user_id, customer, subscription.empty() ? std::nullopt : std::optional(subscription),
                        row->plan_id, std::string("active")},
                       clock_.now_ms());
  return "applied";
}

std::string CardBilling::on_subscription(const std::string& type, const Json& sub,
                                         std::vector<std::pair<UserId, std::string>>& ended) {
  store::CardRepo cards(db_);
  const std::string id = text_of(sub, "id"), status = text_of(sub, "status");
  const auto c = cards.by_subscription(id);
  if (!c || !c->plan_id) return "unknown subscription";
  const UserId user{c->user_id};
  if (type == "customer.subscription.deleted") {
    cards.set_subscription_status(id, "canceled", clock_.now_ms());
    if (!plans_.end_now(user, *c->plan_id, "card subscription ended")) return "noted";
    ended.emplace_back(user, *c->plan_id);
    return "ended";
  }
  cards.set_subscription_status(id, status, clock_.now_ms());
  const std::int64_t end_s = period_end_s(sub);
  // Renewed: paid to the new period's end. Past due or unpaid: the period runs out on its own.
  if ((status == "active" || status == "trialing") && end_s > 0 &&
      plans_.extend_to(user, *c->plan_id, end_s * 1000, "card:" + id))
    return "extended";
  return "noted";
}

std::string CardBilling::on_payment_failed(const Json& invoice, std::vector<UserId>& told) {
  const auto c = store::CardRepo(db_).by_customer(text_of(invoice, "customer"));
  if (!c) return "unknown customer";
  audit_.record_system("card.payment_failed", "user:" + c->user_id,
                       {{"invoice", text_of(invoice, "id")},
                        {"attempt", invoice.contains("attempt_count") && invoice["attempt_count"].is_number_integer()
                                        ? invoice["attempt_count"]
                                        : Json()}});
  told.push_back(UserId{c->user_id});
  return "told the owner";
}

}  // namespace tseeder::billing
