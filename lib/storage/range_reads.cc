#include "storage/range_reads.h"

#include <boost/asio/post.hpp>
#include <exception>

#include "core/error.h"
#include "core/thread_name.h"

namespace tseeder::storage {

RangeReads::RangeReads(boost::asio::io_context& io, const StorageBackend& storage, std::size_t threads)
    : io_(io), storage_(storage), pool_(threads) {
  core::name_pool_threads(pool_, threads, "range-reads");
}

RangeReads::~RangeReads() {
  shutdown();
}

void RangeReads::read(std::string key, std::uint64_t offset, std::size_t length, Done done) {
  boost::asio::post(pool_, [this, key = std::move(key), offset, length, done = std::move(done)]() mutable {
    const auto stop = stop_.get_token();
    if (stop.stop_requested()) return;
    std::optional<std::string> bytes;
    std::string error;
    try {
      bytes = storage_.read_range(key, offset, length, stop);
    } catch (const Error& e) {
      error = e.message();
    } catch (const std::exception& e) {
      error = std::string("storage: ") + e.what();
    }
    if (stop.stop_requested()) return;
    boost::asio::post(io_, [done = std::move(done), bytes = std::move(bytes), error = std::move(error)]() mutable {
      done(std::move(bytes), std::move(error));
    });
  });
}

void RangeReads::shutdown() {
  stop_.request_stop();
  pool_.join();
}

}  // namespace tseeder::storage
