#include "store/job_rows.h"

namespace tseeder::store {

const char* const kJobColumns =
    "id, user_id, source_kind, source, engine, infohash, name, status, bytes_total, bytes_done, "
    "download_bps, upload_bps, peers, seeds, eta_s, error, last_seq, created_at, updated_at, "
    "completed_at, sequential, download_limit_bps, upload_limit_bps, initial_files, downloaded_files, "
    "scan_status, scan_detail, error_code, content_key, follows, content_private, bytes_uploaded, checksum";

jobs::Job read_job(const Stmt& s) {
  jobs::Job j;
  j.id = JobId{s.text(0)};
  j.user_id = UserId{s.text(1)};
  j.source_kind = s.text(2);
  j.source = s.text(3);
  j.engine = s.opt_text(4);
  j.infohash = s.opt_text(5);
  j.name = s.opt_text(6);
  j.status = jobs::parse_state(s.text(7)).value_or(jobs::JobState::failed);
  if (!s.is_null(8)) j.progress.bytes_total = static_cast<std::uint64_t>(s.int64(8));
  j.progress.bytes_done = static_cast<std::uint64_t>(s.int64(9));
  j.progress.download_bps = static_cast<std::uint64_t>(s.int64(10));
  j.progress.upload_bps = static_cast<std::uint64_t>(s.int64(11));
  j.progress.peers = static_cast<std::uint32_t>(s.int64(12));
  j.progress.seeds = static_cast<std::uint32_t>(s.int64(13));
  if (!s.is_null(14)) j.progress.eta_s = s.int64(14);
  j.progress.bytes_uploaded = static_cast<std::uint64_t>(s.int64(31));
  j.error = s.opt_text(15);
  j.last_seq = s.int64(16);
  j.created_at_ms = s.int64(17);
  j.updated_at_ms = s.int64(18);
  if (!s.is_null(19)) j.completed_at_ms = s.int64(19);
  j.options.sequential = s.int64(20) != 0;
  j.options.download_limit_bps = static_cast<std::uint64_t>(s.int64(21));
  j.options.upload_limit_bps = static_cast<std::uint64_t>(s.int64(22));
  if (!s.is_null(23)) {
    auto parsed = Json::parse(s.text(23), nullptr, false);
    if (parsed.is_array()) j.initial_files = parsed.get<std::vector<std::uint32_t>>();
  }
  if (!s.is_null(24)) {
    auto parsed = Json::parse(s.text(24), nullptr, false);
    if (parsed.is_array()) {
      std::vector<jobs::FinishedFile> files;
      for (const auto& f : parsed)
        if (f.is_object() && f.value("path", Json()).is_string() && f.value("size", Json()).is_number_unsigned())
          files.push_back({f["path"].get<std::string>(), f["size"].get<std::uint64_t>(),
                           optional_at<std::string>(f, "name").value_or("")});
      j.downloaded_files = std::move(files);
    }
  }
  j.scan_status = s.opt_text(25);
  j.scan_detail = s.opt_text(26);
  j.error_code = s.opt_text(27);
  j.content_key = s.opt_text(28);
  if (!s.is_null(29)) j.follows = JobId{s.text(29)};
  if (!s.is_null(30)) j.content_private = s.int64(30) != 0;
  j.checksum = s.opt_text(32);
  return j;
}

std::vector<jobs::Job> read_jobs(Stmt& s) {
  std::vector<jobs::Job> out;
  while (s.step()) out.push_back(read_job(s));
  return out;
}

}  // namespace tseeder::store
