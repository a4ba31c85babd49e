// /fleet/v1: what agents call. Every request is signed (HMAC-SHA256 over method, path,
// timestamp, nonce and body hash); refused ones are audited and all answered alike. Replies are
// signed too, so an agent acts only on its own controller's answers.
#include "core/path_safety.h"
#include "fleet/wire_signature.h"
#include "handlers/handlers.h"

namespace tseeder::daemon::handlers {

namespace {

fleet::Controller& controller(App& app) {
  if (!app.fleet)
    throw Error(Errc::not_found, "this server is not a fleet controller (role: " + app.cfg.role + ")",
                "agents join a server started with role: controller");
  return *app.fleet;
}

fleet::WireSignature signature_of(const Request& req) {
  return {req.header("X-Tseeder-Agent"), req.header("X-Tseeder-Timestamp"), req.header("X-Tseeder-Nonce"),
          req.header("X-Tseeder-Signature")};
}

// Refused calls are audited, but an address that keeps sending them is slowed down before it
// can fill the audit log.
constexpr std::int64_t kAuditedRefusalsPerMinute = 10;

void check(App& app, Request& req, const fleet::WireSignature& sig, fleet::WireVerdict verdict) {
  if (verdict == fleet::WireVerdict::ok) return;
  if (auto wait = app.limiter->take("wire-refused:ip:" + req.meta.ip, kAuditedRefusalsPerMinute, 60))
    throw Error(Errc::rate_limited, "too many refused fleet requests from " + req.meta.ip,
                "fix the agent's credential or clock; see the audit log for why its requests are refused")
        .retry_after(*wait);
  app.audit->record(nullptr, req.meta, "fleet.wire.rejected", "agent:" + valid_utf8(sig.agent.substr(0, 64)),
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
Reply agent_call(App& app, Request& req, F serve) {
  auto& fleet = controller(app);
  const auto sig = signature_of(req);
  check(app, req, sig, app.wire->verify(sig, "POST", req.path, req.body()));
  const Json body = parse_json_object(req.body());
  return signed_reply(*fleet.secret_of(sig.agent), req, sig, serve(fleet, sig.agent, body));
}

}  // namespace

void fleet_signature_headers(App& app, Request& req) {
  controller(app);  // only a controller has a verifier
  const auto sig = signature_of(req);
  const bool registration = req.path == "/fleet/v1/register";
  // A registration is signed by "join" with the token in its body; agents sign with their name.
  auto verdict = app.wire->precheck(sig, !registration);
  if (verdict == fleet::WireVerdict::ok && registration && sig.agent != "join")
    verdict = fleet::WireVerdict::unknown_agent;
  check(app, req, sig, verdict);
}

Reply fleet_register(App& app, Request& req) {
  auto& fleet = controller(app);
  const auto sig = signature_of(req);
  const Json body = parse_json_object(req.body());
  const std::string token = body.contains("token") && body["token"].is_string() ? body["token"].get<std::string>() : "";
  // Signed with the join token it carries; the token itself is checked when it is spent.
  check(app, req, sig,
        sig.agent != "join" || token.empty() ? fleet::WireVerdict::unknown_agent
                                             : app.wire->verify_with(sig, "POST", req.path, req.body(), token));
  const auto reg = fleet.register_agent(token, body, req.meta);
  return signed_reply(token, req, sig, {{"agentId", reg.agent_id}, {"secret", reg.secret}});
}

Reply fleet_heartbeat(App& app, Request& req) {
  return agent_call(app, req, [&app](fleet::Controller& f, const std::string& agent, const Json& body) {
    return f.heartbeat(agent, body, *app.jobs);
  });
}

Reply fleet_work(App& app, Request& req) {
  return agent_call(app, req,
                    [](fleet::Controller& f, const std::string& agent, const Json&) { return f.work(agent); });
}

Reply fleet_events(App& app, Request& req) {
  return agent_call(app, req, [&app](fleet::Controller& f, const std::string& agent, const Json& body) {
    return f.events(agent, body, *app.jobs);
  });
}

}  // namespace tseeder::daemon::handlers
