#include "store/read_pool.h"

#include <sqlite3.h>

#include "core/thread_name.h"

namespace tseeder::store {

ReadPool::ReadPool(Db& main, std::size_t threads) : main_(main) {
  for (std::size_t i = 0; i < threads; ++i) readers_.push_back(std::make_unique<Db>(main.path(), Db::Use::read_only));
  for (auto& reader : readers_) threads_.emplace_back([this, &reader] { run(*reader); });
}

ReadPool::~ReadPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    queue_.clear();
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

void ReadPool::post(std::function<void()> read) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    queue_.push_back(std::move(read));
  }
  wake_.notify_one();
}

void ReadPool::run(Db& reader) {
  core::name_this_thread("store-reader");
  main_.read_through(&reader);
  for (;;) {
    std::function<void()> read;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) break;
      read = std::move(queue_.front());
      queue_.pop_front();
    }
    // A deferred BEGIN takes its snapshot at the first read and holds it to the COMMIT.
    sqlite3_exec(reader.raw(), "BEGIN", nullptr, nullptr, nullptr);  // failing, each read is its own
    read();
    if (!sqlite3_get_autocommit(reader.raw())) sqlite3_exec(reader.raw(), "COMMIT", nullptr, nullptr, nullptr);
  }
  main_.read_through(nullptr);
}

}  // namespace tseeder::store
