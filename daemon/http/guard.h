// The one middleware before every handler: Host allow-list, authentication (API key, Unix
// peer, session cookie), CSRF for cookie sessions, the route's role, rate limits; and the
// audit entry after a successful mutation.
#pragma once
#include <optional>

#include "http/peer.h"
#include "http/request.h"
#include "http/router.h"

namespace tseeder::daemon {

// nullopt: go on to the handler; otherwise the answer to send instead.
std::optional<Reply> admit(App& app, const Route& route, Request& req, http::verb method, const Peer& peer);
void audit_success(App& app, const Route& route, const Request& req, const Reply& reply);

}  // namespace tseeder::daemon
