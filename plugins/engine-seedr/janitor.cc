#include "janitor.h"
#include "core/thread_name.h"

namespace tseeder::engine_seedr {

Janitor::Janitor(Account& account) : account_(account) {
  thread_ = std::thread([this] { run(); });
}

Janitor::~Janitor() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Janitor::remove(std::string items) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(items));
  }
  cv_.notify_all();
}

void Janitor::run() {
  core::name_this_thread("seedr-janitor");
  for (;;) {
    std::string items;
    bool closing = false;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;
      items = std::move(queue_.front());
      queue_.pop_front();
      closing = closing_;
    }
    try {
      Stopper never;
      // Shutting down: one try for each item left, no waits between tries.
      account_.call("delete", {{"delete_arr", items}}, never, nullptr, closing ? 1 : 0);
    } catch (...) {
      // Nothing to report to: the job is gone. The operator sees leftovers in the account.
    }
  }
}

}  // namespace tseeder::engine_seedr
