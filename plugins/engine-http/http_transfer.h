// One HTTP(S) download on its own thread, over one connection or, for large files on servers
// that serve ranges, several; resumable from the partial file and the state in its work dir.
#pragma once
#include <curl/curl.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

#include "pacer.h"
#include "tseeder/plugin.h"

namespace tseeder::engine_http {

struct Settings {
  long max_redirects = 10;
  long connect_timeout_s = 30;
  long stall_timeout_s = 60;
  std::int64_t progress_interval_ms = 1000;
  std::string ca_file;                          // empty: libcurl's default CA bundle
  std::uint64_t download_limit_bps = 0;         // the job's own limit; 0 = unlimited
  Pacer* engine_pacer = nullptr;                // the limit of every HTTP download together; null: none
  bool allow_private_urls = false;              // off: loopback/private/link-local/metadata refused
  std::string checksum;                         // the job's "sha256:<hex>" (sha1, md5); empty: none
  int connections = 4;                          // ranges fetched at once from a server that serves ranges
  std::uint64_t split_min_bytes = 64ull << 20;  // smaller files take one connection
  bool sidecar_checksums = true;                // check URL.sha256 when nothing else names a digest
};

class Transfer {
 public:
  // `held`: once the response's headers are in (metadata_ready sent), fetch no body until release().
  Transfer(const Settings& settings, std::string url, std::string work_dir, const tseeder_job_sink& sink, bool held);
  ~Transfer();     // stops and joins
  void stop();     // no sink call happens after this returns
  void release();  // from any thread; the transfer goes on at once
  // From any thread: the job's new limit (0: none) applies to the next bytes received.
  void set_download_limit(std::uint64_t bps) { pacer_.set_rate(bps); }

 private:
  void run();
  void wake();

  Settings settings_;
  std::string url_;
  std::string work_dir_;
  tseeder_job_sink sink_;
  std::atomic<bool> abort_{false};
  std::atomic<bool> held_;
  Pacer pacer_;
  CURLM* const multi_;  // the download's transfers; made here so wake() may use it from any thread
  std::thread thread_;
};

// Partial data and what we knew about it (partial_state.h), kept in the work dir across restarts.
inline constexpr const char* kPartialName = ".tseeder-partial";
inline constexpr const char* kPartialMetaName = ".tseeder-partial.meta";

}  // namespace tseeder::engine_http
