// Guessing passwords, slowed without locking anyone out: failures count per account *and* client
// address, so an address that keeps failing is shut out of that account for a while while the
// owner elsewhere is not; and an account failing from many addresses makes every attempt on it
// wait a little, which bounds guessing without refusing the owner. Unknown accounts are throttled
// exactly like real ones, so the answers tell nothing about which exist. In memory: a restart
// forgets, which only ever helps a guesser once.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/clock.h"

namespace tseeder::auth {

struct LoginThrottleSettings {
  std::int64_t failures_to_lock = 10;     // in a row, from one address, for one account
  std::int64_t lock_ms = 15 * 60 * 1000;  // how long that address is shut out of that account
  std::int64_t account_per_minute = 10;   // failures on one account (any address) before attempts wait
  std::int64_t slow_ms = 2000;            // the wait then, before the password is checked
};

class LoginThrottle {
 public:
  LoginThrottle(const Clock& clock, LoginThrottleSettings s) : clock_(clock), s_(s) {}
  // Seconds until `address` may try `email` again, or nullopt.
  std::optional<std::int64_t> locked_out(const std::string& email, const std::string& address);
  // How long this attempt waits before its password is checked (0 unless the account is failing
  // from many addresses).
  std::int64_t delay_ms(const std::string& email);
  // Records a failure; returns the failures in a row from this address (the last one locks it
  // out when it reaches failures_to_lock).
  std::int64_t failed(const std::string& email, const std::string& address);
  void succeeded(const std::string& email, const std::string& address);

 private:
  struct Pair {
    std::int64_t failures = 0;
    std::int64_t locked_until_ms = 0;
    std::int64_t last_ms = 0;
  };
  struct Account {
    double recent = 0;  // failures, decaying by account_per_minute a minute
    std::int64_t at_ms = 0;
  };
  void prune(std::int64_t now_ms);
  double decayed(Account& a, std::int64_t now_ms) const;
  const Clock& clock_;
  LoginThrottleSettings s_;
  std::map<std::string, Pair> pairs_;  // email + "\n" + address
  std::map<std::string, Account> accounts_;
  std::int64_t last_prune_ms_ = 0;
};

}  // namespace tseeder::auth
