// Reads pieces of stored objects on worker threads for the event loop: object storage answers
// over the network, and even a local disk read should not hold up every other request.
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>

#include "storage/storage_backend.h"

namespace tseeder::storage {

class RangeReads {
 public:
  // The bytes, or nullopt and why.
  using Done = std::function<void(std::optional<std::string> bytes, std::string error)>;

  RangeReads(boost::asio::io_context& io, const StorageBackend& storage, std::size_t threads);
  ~RangeReads();  // shutdown()

  // Loop thread. `done` runs on the loop, unless shutdown() came first.
  void read(std::string key, std::uint64_t offset, std::size_t length, Done done);
  // Stops reads under way and waits for the workers.
  void shutdown();

 private:
  boost::asio::io_context& io_;
  const StorageBackend& storage_;
  boost::asio::thread_pool pool_;
  std::stop_source stop_;
};

}  // namespace tseeder::storage
