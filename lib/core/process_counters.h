// Counts since the process started, for /metrics: bytes moved and scan verdicts, added to from
// any thread. Counters reset with the process, as Prometheus counters may.
#pragma once
#include <atomic>
#include <cstdint>

namespace tseeder {

struct ProcessCounters {
  std::atomic<std::uint64_t> downloaded_bytes{0};  // by engines, for jobs
  std::atomic<std::uint64_t> uploaded_bytes{0};    // by engines, to peers
  std::atomic<std::uint64_t> served_bytes{0};      // by the daemon, to users (files, zips)
  std::atomic<std::uint64_t> scans_clean{0};
  std::atomic<std::uint64_t> scans_infected{0};
  std::atomic<std::uint64_t> scans_error{0};
};

inline ProcessCounters& process_counters() {
  static ProcessCounters counters;
  return counters;
}

}  // namespace tseeder
