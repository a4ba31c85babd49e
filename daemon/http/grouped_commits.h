// The writes of every request handled in one turn of the event loop are committed together:
// a mutating request joins the turn's group, and its answer waits until the group is on disk.
// Many small transactions become one write of the log, and no caller hears of a write that a
// crash could still take back.
#pragma once
#include <boost/asio/io_context.hpp>
#include <functional>
#include <vector>

#include "core/error.h"
#include "store/db.h"

namespace tseeder::daemon {

class GroupedCommits {
 public:
  // Also opens groups for the store's own frequent writes (Db::join_group).
  GroupedCommits(boost::asio::io_context& io, store::Db& db);
  ~GroupedCommits();
  // A request that may write is about to run: opens the turn's group unless it is open.
  void join();
  // `then` runs once the writes made so far are committed; with the error when the group could
  // not be (nothing of it is kept). At once when no group is open.
  void after_commit(std::function<void(const Error*)> then);
  // Commits the open group now (the turn's end, or a stop).
  void commit();

 private:
  boost::asio::io_context& io_;
  store::Db& db_;
  std::vector<std::function<void(const Error*)>> waiting_;
  bool posted_ = false;
};

}  // namespace tseeder::daemon
