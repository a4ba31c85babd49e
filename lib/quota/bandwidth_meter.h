// Counts bytes of stored files served to anyone against the owner's monthly allowance. A
// download reserves its length before the first byte, so parallel downloads cannot overrun the
// allowance together; bytes are counted as they go out and the unsent rest is released when the
// download ends. Counts live in memory and reach the store on flush(). Event loop only.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "core/clock.h"
#include "core/ids.h"
#include "store/db.h"

namespace tseeder::quota {

class BandwidthMeter {
  struct State {
    std::map<std::pair<std::string, std::string>, std::int64_t> unflushed;  // (user, month) → bytes
    std::map<std::string, std::int64_t> reserved;                           // user → bytes in flight
  };

 public:
  // One download's claim; may outlive the meter (a connection torn down at exit).
  class Reservation {
   public:
    Reservation(std::shared_ptr<State> state, std::string user, std::string month, std::int64_t bytes);
    ~Reservation();
    Reservation(const Reservation&) = delete;
    Reservation& operator=(const Reservation&) = delete;
    void sent(std::uint64_t bytes);

   private:
    std::shared_ptr<State> state_;
    std::string user_, month_;
    std::int64_t left_;
  };

  BandwidthMeter(store::Db& db, const Clock& clock);
  // Throws Error(quota_bandwidth) when `bytes` more would pass the owner's plan this month.
  std::shared_ptr<Reservation> reserve(const UserId& owner, std::uint64_t bytes);
  // Counts `bytes` served where the daemon cannot see them (object storage links) at once.
  void charge(const UserId& owner, std::uint64_t bytes) { reserve(owner, bytes)->sent(bytes); }
  // Bytes served to the owner's files this month.
  std::int64_t used(const UserId& owner);
  void flush();

 private:
  store::Db& db_;
  const Clock& clock_;
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

}  // namespace tseeder::quota
