#include "http/grouped_commits.h"

#include <boost/asio/post.hpp>

#include "logging.h"

namespace tseeder::daemon {

GroupedCommits::GroupedCommits(boost::asio::io_context& io, store::Db& db) : io_(io), db_(db) {
  db_.set_group_hooks([this] { join(); }, [this] { commit(); });
}

GroupedCommits::~GroupedCommits() {
  db_.set_group_hooks(nullptr, nullptr);
}

void GroupedCommits::join() {
  if (db_.group_open()) return;
  db_.begin_group();
  if (posted_) return;
  posted_ = true;
  // Queued behind every handler already ready in this turn, so they all share the commit.
  boost::asio::post(io_, [this] {
    posted_ = false;
    commit();
  });
}

void GroupedCommits::after_commit(std::function<void(const Error*)> then) {
  if (!db_.group_open()) return then(nullptr);
  waiting_.push_back(std::move(then));
}

void GroupedCommits::commit() {
  auto waiting = std::move(waiting_);
  waiting_.clear();
  std::optional<Error> failed;
  try {
    db_.end_group();
  } catch (const Error& e) {
    log(Level::error, "store", std::string("a group of writes was not committed: ") + e.what(),
        {{"requests", waiting.size()}});
    failed = e;
  }
  for (auto& then : waiting) then(failed ? &*failed : nullptr);
}

}  // namespace tseeder::daemon
