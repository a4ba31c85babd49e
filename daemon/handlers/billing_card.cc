// /billing/checkout, /billing/portal and /billing/webhook: card payments through a Stripe-style
// processor. The processor is called off the loop; webhooks are taken only with a valid signature.
#include "billing/webhook_signature.h"
#include "core/error.h"
#include "handlers/handlers.h"
#include "handlers/off_loop.h"

namespace tseeder::daemon::handlers {

Reply billing_checkout(BillingApi& api, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"plan", "periodDays"});
  auto draft = std::make_shared<billing::CheckoutDraft>(
      api.cards.draft_checkout(req.who(), required_string(body, "plan"), period_days_field(body)));
  const auto who = req.who();
  const auto meta = req.meta;
  return off_loop<Json>(
      api.io, api.outbound, {},
      [&api, draft] { return api.card_api.post_form("/v1/checkout/sessions", draft->fields); },
      [&api, draft, who, meta](Json session) {
        const std::string url = api.cards.record_checkout(who, *draft, session, meta);
        return Reply::json(201, {{"id", session["id"]}, {"url", url}});
      });
}

Reply billing_portal(BillingApi& api, Request& req) {
  auto fields = std::make_shared<net::FormFields>(api.cards.draft_portal(req.who()));
  return off_loop<Json>(
      api.io, api.outbound, {},
      [&api, fields] { return api.card_api.post_form("/v1/billing_portal/sessions", *fields); },
      [](Json session) {
        if (!session.contains("url") || !session["url"].is_string())
          throw Error(Errc::unavailable, "the card processor answered a portal session without a URL");
        return Reply::json(200, {{"url", session["url"]}});
      });
}

Reply billing_webhook(BillingApi& api, Request& req) {
  billing::verify_webhook_signature(req.header("Stripe-Signature"), req.body(), api.webhook_secret,
                                    api.clock.now_ms() / 1000);
  const Json event = Json::parse(req.body(), nullptr, false);
  if (event.is_discarded() || !event.is_object())
    throw Error(Errc::invalid_argument, "the webhook body is not a JSON object");
  return Reply::json(200, {{"received", true}, {"outcome", api.cards.apply_event(event)}});
}

}  // namespace tseeder::daemon::handlers
