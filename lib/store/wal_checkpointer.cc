#include "store/wal_checkpointer.h"

#include <sqlite3.h>

#include "core/thread_name.h"

namespace tseeder::store {

namespace {
// The loop's own threshold once this stops: SQLite's default.
constexpr const char* kDefaultAutocheckpoint = "PRAGMA wal_autocheckpoint=1000";
}  // namespace

// Its own connection, opened here so a failure stops start-up instead of a thread; from then on
// only the thread uses it.
WalCheckpointer::WalCheckpointer(Db& db, std::chrono::milliseconds period, int min_frames)
    : db_(db), own_(std::make_unique<Db>(db.path())), period_(period), min_frames_(min_frames) {
  db_.exec("PRAGMA wal_autocheckpoint=0");
  // Replaces the automatic checkpoint's hook (off now); restored by the pragma in stop().
  sqlite3_wal_hook(db_.raw(), &WalCheckpointer::on_commit, this);
  thread_ = std::thread([this] { run(); });
}

int WalCheckpointer::on_commit(void* self, sqlite3*, const char*, int frames) {
  static_cast<WalCheckpointer*>(self)->frames_.store(frames, std::memory_order_relaxed);
  return SQLITE_OK;
}

WalCheckpointer::~WalCheckpointer() {
  stop();
}

void WalCheckpointer::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  db_.exec(kDefaultAutocheckpoint);
}

void WalCheckpointer::run() {
  core::name_this_thread("wal-checkpoint");
  std::unique_lock lock(mu_);
  for (;;) {
    const bool last = wake_.wait_for(lock, period_, [this] { return stopping_; });
    if (!last && frames_.load(std::memory_order_relaxed) < min_frames_) continue;
    lock.unlock();
    // PASSIVE never blocks the writer or readers; what it cannot copy now waits for the next.
    // A failure (a busy moment, a full disk) is retried next period; the log only grows.
    sqlite3_wal_checkpoint_v2(own_->raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    lock.lock();
    if (last) return;
  }
}

}  // namespace tseeder::store
