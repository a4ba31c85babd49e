// Free space of a directory's file system, as the unprivileged daemon may use it.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace tseeder {

// Bytes available to the daemon (statvfs f_bavail); nullopt when the directory cannot be read.
std::optional<std::uint64_t> free_bytes(const std::string& dir);

}  // namespace tseeder
