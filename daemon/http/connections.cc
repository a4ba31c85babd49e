#include "http/connections.h"

#include "http/session.h"

namespace tseeder::daemon {

ConnectionLimits ConnectionLimits::from(const config::Config& cfg) {
  ConnectionLimits l;
  l.max_connections = static_cast<std::size_t>(cfg.http_max_connections);
  l.max_per_address = static_cast<std::size_t>(cfg.http_max_connections_per_address);
  l.header_timeout = std::chrono::seconds(cfg.http_header_timeout_s);
  l.idle_timeout = std::chrono::seconds(cfg.http_idle_timeout_s);
  l.body_timeout = std::chrono::seconds(cfg.http_body_timeout_s);
  l.send_timeout = std::chrono::seconds(cfg.http_send_timeout_s);
  l.fd_reserve = static_cast<int>(cfg.http_fd_reserve);
  return l;
}

void Connections::add(Session* s, std::weak_ptr<Session> session, const std::string& address, bool via_unix) {
  entries_[s] = Entry{std::move(session), address, via_unix, next_order_++};
  if (via_unix) return;
  ++tcp_;
  ++per_address_[address];
}

void Connections::remove(Session* s) {
  auto it = entries_.find(s);
  if (it == entries_.end()) return;
  if (!it->second.via_unix) {
    --tcp_;
    auto pa = per_address_.find(it->second.address);
    if (pa != per_address_.end() && --pa->second == 0) per_address_.erase(pa);
  }
  entries_.erase(it);
}

bool Connections::make_room(const std::string& address, bool fd_pressure, const ConnectionLimits& limits) {
  const auto pa = per_address_.find(address);
  const bool address_full = pa != per_address_.end() && pa->second >= limits.max_per_address;
  if (!address_full && !fd_pressure && tcp_ < limits.max_connections) return true;
  // A connection still waiting for a request holds no work: the oldest one goes.
  std::shared_ptr<Session> oldest;
  std::uint64_t oldest_order = UINT64_MAX;
  for (const auto& [ptr, e] : entries_) {
    if (e.via_unix || e.order >= oldest_order || (address_full && e.address != address)) continue;
    auto s = e.session.lock();
    if (!s || !s->waiting()) continue;
    oldest = std::move(s);
    oldest_order = e.order;
  }
  if (!oldest) return false;
  oldest->close();
  return true;
}

void Connections::close_all() {
  auto entries = entries_;
  for (auto& [ptr, e] : entries)
    if (auto s = e.session.lock()) s->close();
}

}  // namespace tseeder::daemon
