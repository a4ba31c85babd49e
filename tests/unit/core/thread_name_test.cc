#include "core/thread_name.h"

#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <mutex>
#include <set>
#include <thread>

namespace tseeder::core {
namespace {

std::string own_name() {
  char name[16] = {};
  pthread_getname_np(pthread_self(), name, sizeof name);
  return name;
}

TEST(ThreadNameTest, NamesTheCallingThreadWithinLinuxsFifteenBytes) {
  std::string seen;
  std::thread([&] {
    name_this_thread("a-name-longer-than-fifteen");
    seen = own_name();
  }).join();
  EXPECT_EQ(seen, "a-name-longer-t");
}

TEST(ThreadNameTest, NamesEveryThreadOfAPool) {
  constexpr std::size_t kThreads = 3;
  boost::asio::thread_pool pool(kThreads);
  name_pool_threads(pool, kThreads, "pool-worker");
  // Each task waits for the others, so the three run on three threads at once.
  std::latch together(kThreads);
  std::mutex mu;
  std::set<std::thread::id> ids;
  std::multiset<std::string> names;
  for (std::size_t i = 0; i < kThreads; ++i)
    boost::asio::post(pool, [&] {
      together.arrive_and_wait();
      std::lock_guard lock(mu);
      ids.insert(std::this_thread::get_id());
      names.insert(own_name());
    });
  pool.join();
  EXPECT_EQ(ids.size(), kThreads);
  EXPECT_EQ(names.count("pool-worker"), kThreads);
}

// The pool's threads may still be leaving the naming latch when the call returns; a pool joined
// right after must not find one of them stuck in it.
TEST(ThreadNameTest, APoolJoinsRightAfterNaming) {
  for (int i = 0; i < 200; ++i) {
    boost::asio::thread_pool pool(4);
    name_pool_threads(pool, 4, "short-lived");
    pool.join();
  }
}

}  // namespace
}  // namespace tseeder::core
