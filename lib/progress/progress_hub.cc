#include "progress/progress_hub.h"

namespace tseeder::progress {

ProgressHub::Subscription& ProgressHub::Subscription::operator=(Subscription&& o) noexcept {
  if (this != &o) {
    reset();
    hub_ = o.hub_;
    job_ = std::move(o.job_);
    token_ = o.token_;
    o.hub_ = nullptr;
  }
  return *this;
}

void ProgressHub::Subscription::reset() {
  if (hub_) hub_->unsubscribe(job_, token_);
  hub_ = nullptr;
}

ProgressHub::Subscription ProgressHub::subscribe(const JobId& job, Listener listener) {
  auto token = next_token_++;
  listeners_[job][token] = std::make_shared<Listener>(std::move(listener));
  return Subscription(this, job, token);
}

void ProgressHub::publish(const HubEvent& event) {
  auto it = listeners_.find(event.job);
  if (it == listeners_.end()) return;
  // Listeners may unsubscribe while we deliver: walk a copy.
  std::vector<std::shared_ptr<Listener>> targets;
  for (auto& [token, l] : it->second) targets.push_back(l);
  for (auto& l : targets) (*l)(event);
}

std::size_t ProgressHub::subscriber_count() const {
  std::size_t n = 0;
  for (auto& [job, m] : listeners_) n += m.size();
  return n;
}

void ProgressHub::unsubscribe(const JobId& job, std::uint64_t token) {
  auto it = listeners_.find(job);
  if (it == listeners_.end()) return;
  it->second.erase(token);
  if (it->second.empty()) listeners_.erase(it);
}

}  // namespace tseeder::progress
