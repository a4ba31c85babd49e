// The route table: {method, path pattern, handler, body limit}. The router answers 404/405/413
// uniformly so handlers only see requests that match. The table itself (all_routes) names how
// each handler is made; routes_for binds them to one daemon's services.
#pragma once
#include <boost/beast/http/verb.hpp>
#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

#include "http/request.h"
#include "model/role.h"

namespace tseeder::daemon {

class App;
using Handler = std::function<Reply(Request&)>;

// Which rate-limit buckets a route draws from (per client address, and per account when known).
enum class Limit { none, api, login, registration, mail };

// Checks a request before its body is read (after the guard's own); throws Error to refuse it.
using BeforeBody = std::function<void(Request&)>;
// Makes a route's handler (or check) from the daemon's services, handing it only those it uses.
using BindHandler = std::function<Handler(App&)>;
using BindBeforeBody = std::function<BeforeBody(App&)>;

struct Route {
  http::verb method;
  std::string_view pattern;  // "/jobs/{id}/files/{fileId}/content"
  BindHandler bind;
  std::size_t body_limit = 0;  // bytes accepted in the request body
  auth::Access access = auth::Access::user;
  // Audit action written after a successful call ("job.pause"); empty for reads and for
  // routes whose service writes richer entries itself.
  std::string_view audit;
  Limit limit = Limit::api;
  // Set: the route exists only on a daemon of this role (the fleet wire on controllers).
  std::string_view only_role = {};
  BindBeforeBody bind_before_body = nullptr;
  // The handler only reads the store (and settings that never change): it runs on a reader
  // thread with its own connection, so reads do not queue behind each other on the event loop.
  bool reads_store_only = false;
  // A destructive staff action: its service refuses it without a reason (10+ characters) and a
  // ticketId in the body (the route-table walk in test_authorization_matrix.py checks each).
  bool justified = false;
  // Set by routes_for.
  Handler handler = nullptr;
  BeforeBody before_body = nullptr;
};

struct RouteMatch {
  const Route* route = nullptr;
  unsigned status = 200;  // 404 no such path, 405 path exists with another method
  std::map<std::string, std::string> params;
  std::string allow;  // methods for the path, for 405
};

class Router {
 public:
  explicit Router(std::vector<Route> routes) : routes_(std::move(routes)) {}
  RouteMatch match(http::verb method, std::string_view path) const;

 private:
  std::vector<Route> routes_;
};

std::vector<Route> all_routes();  // routes.cc; not bound to any daemon
// The routes `app` serves (those of its role), bound to its services. A route of another role is
// as unknown as any other path, and is answered 404 before its body is read.
std::vector<Route> routes_for(App& app);
// The one route of the metrics.listen address: GET /metrics for anyone who reaches it.
std::vector<Route> metrics_routes_for(App& app);

}  // namespace tseeder::daemon
