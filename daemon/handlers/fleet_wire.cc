// /fleet/v1: what agents call. Every request is signed (HMAC-SHA256 over method, path,
// timestamp, nonce and body hash); refused ones are audited and all answered alike. Replies are
// signed too, so an agent acts only on its own controller's answers.
#include "core/path_safety.h"
#include "fleet/wire_signature.h"
#include "handlers/handlers.h"

namespace tseeder::daemon::handlers {

namespace {

fleet::WireSignature signature_of(const Request& req) {
  return {req.header("X-Tseeder-Agent"), req.header("X-Tseeder-Timestamp"), req.header("X-Tseeder-Nonce"),
          req.header("X-Tseeder-Signature")};
}

// Refused calls are audited, but an address that keeps sending them is slowed down before it
// can fill the audit log.
constexpr std::int64_t kAuditedRefusalsPerMinute = 10;

void check(FleetWireApi& api, Request& req, const fleet::WireSignature& sig, fleet::WireVerdict verdict) {
  if (verdict == fleet::WireVerdict::ok) return;
  if (auto wait = api.limiter.take("wire-refused:ip:" + req.meta.ip, kAuditedRefusalsPerMinute, 60))
    throw Error(Errc::rate_limited, "too many refused fleet requests from " + req.meta.ip,
                "fix the agent's credential or clock; see the audit log for why its requests are refused")
        .retry_after(*wait);
  api.audit.record(nullptr, req.meta, "fleet.wire.rejected", "agent:" + valid_utf8(sig.agent.substr(0, 64)),
                   {{"reason", fleet::to_string(verdict)}, {"path", req.path}});
  throw Error(Errc::unauthenticated, std::string("fleet request refused: ") + fleet::to_string(verdict),
              "the agent's credential or clock is wrong; check DATA_DIR/secrets/agent.json and NTP");
}

Reply signed_reply(const std::string& secret, const Request& req, const fleet::WireSignature& sig, const Json& body) {
  Reply r = Reply::json(200, body);
  r.headers.emplace_back("X-Tseeder-Signature", fleet::reply_signature(secret, req.path, sig, r.body));
  return r;
}

// A call of a registered agent: checked, then answered by `serve` and signed.
template <typename F>
Reply agent_call(FleetWireApi& api, Request& req, F serve) {
  const auto sig = signature_of(req);
  check(api, req, sig, api.wire.verify(sig, "POST", req.path, req.body()));
  const Json body = parse_json_object(req.body());
  return signed_reply(*api.fleet.secret_of(sig.agent), req, sig, serve(sig.agent, body));
}

}  // namespace

void fleet_signature_headers(FleetWireApi& api, Request& req) {
  const auto sig = signature_of(req);
  const bool registration = req.path == "/fleet/v1/register";
  // A registration is signed by "join" with the token in its body; agents sign with their name.
  auto verdict = api.wire.precheck(sig, !registration);
  if (verdict == fleet::WireVerdict::ok && registration && sig.agent != "join")
    verdict = fleet::WireVerdict::unknown_agent;
  check(api, req, sig, verdict);
}

Reply fleet_register(FleetWireApi& api, Request& req) {
  const auto sig = signature_of(req);
  const Json body = parse_json_object(req.body());
  const std::string token = body.contains("token") && body["token"].is_string() ? body["token"].get<std::string>() : "";
  // Signed with the join token it carries; the token itself is checked when it is spent.
  check(api, req, sig,
        sig.agent != "join" || token.empty() ? fleet::WireVerdict::unknown_agent
                                             : api.wire.verify_with(sig, "POST", req.path, req.body(), token));
  const auto reg = api.fleet.register_agent(token, body, req.meta);
  return signed_reply(token, req, sig, {{"agentId", reg.agent_id}, {"secret", reg.secret}});
}

Reply fleet_heartbeat(FleetWireApi& api, Request& req) {
  return agent_call(api, req, [&api](const std::string& agent, const Json& body) {
    return api.fleet.heartbeat(agent, body, api.jobs);
  });
}

Reply fleet_work(FleetWireApi& api, Request& req) {
  return agent_call(api, req, [&api](const std::string& agent, const Json&) { return api.fleet.work(agent); });
}

Reply fleet_events(FleetWireApi& api, Request& req) {
  return agent_call(
      api, req, [&api](const std::string& agent, const Json& body) { return api.fleet.events(agent, body, api.jobs); });
}

}  // namespace tseeder::daemon::handlers
