// Hands queued jobs to free download slots: woken when work may exist (a job added, a slot
// freed, a failure released), and by a timer set for when the next backoff runs out. It does
// not poll: with every slot busy, a hundred thousand waiting jobs cost nothing until one ends.
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <string>

#include "core/clock.h"
#include "store/db.h"

namespace tseeder::jobs {

class JobFlow;
class Recovery;
class Workers;

class Dispatcher {
 public:
  Dispatcher(boost::asio::io_context& io, store::Db& db, JobFlow& flow, Recovery& recovery, Workers& workers,
             const Clock& clock, std::string node);
  void start();
  void stop();
  void poke();  // something changed: run a pass soon (coalesced); nothing while stopped

 private:
  void pass();
  // Wakes when the next backed-off message is due, or after kSafetyTick at the latest (capacity
  // that grows without a word, such as an agent joining).
  void arm_timer();

  boost::asio::io_context& io_;
  store::Db& db_;
  JobFlow& flow_;
  Recovery& recovery_;
  Workers& workers_;
  const Clock& clock_;
  std::string node_;
  boost::asio::steady_timer timer_;
  bool pass_pending_ = false;
  bool stopped_ = true;
};

}  // namespace tseeder::jobs
