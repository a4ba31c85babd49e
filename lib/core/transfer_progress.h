// How far a transfer is: what engines report and what a job shows.
#pragma once
#include <cstdint>
#include <optional>

namespace tseeder {

struct TransferProgress {
  std::uint64_t bytes_done = 0;
  std::optional<std::uint64_t> bytes_total;
  std::uint64_t download_bps = 0;
  std::uint64_t upload_bps = 0;
  std::uint32_t peers = 0;
  std::uint32_t seeds = 0;
  std::optional<std::int64_t> eta_s;
  std::uint64_t bytes_uploaded = 0;  // in all, for the share ratio
};

}  // namespace tseeder
