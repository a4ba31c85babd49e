// A password hashed for storing off the event loop: Argon2 takes tens of milliseconds and
// 19 MiB, which would hold every other request of the moment.
#pragma once
#include <string>

#include "auth/password.h"
#include "handlers/off_loop.h"

namespace tseeder::daemon::handlers {

// `password` hashed with `kdf` on a thread of `pool`, then `last` with the PHC string on `io`.
inline Reply hash_off_loop(boost::asio::io_context& io, boost::asio::thread_pool& pool, const auth::KdfParams& kdf,
                           std::string password, std::function<Reply(std::string)> last) {
  return off_loop<std::string>(
      io, pool, {}, [password = std::move(password), kdf] { return auth::hash_password(password, kdf); },
      std::move(last));
}

}  // namespace tseeder::daemon::handlers
