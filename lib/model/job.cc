#include "model/job.h"

namespace tseeder::jobs {
Json iso8601_or_null(const std::optional<std::int64_t>& ms) {
  return ms ? Json(iso8601(*ms)) : Json(nullptr);
}

std::string iso8601(std::int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Json to_json(const Progress& p) {
  Json j;
  j["bytesDone"] = p.bytes_done;
  j["bytesTotal"] = or_null(p.bytes_total);
  j["downloadSpeed"] = p.download_bps;
  j["uploadSpeed"] = p.upload_bps;
  j["peers"] = p.peers;
  j["seeds"] = p.seeds;
  j["eta"] = or_null(p.eta_s);
  j["bytesUploaded"] = p.bytes_uploaded;
  // The share ratio: uploaded over downloaded, as BitTorrent clients show it.
  j["ratio"] = p.bytes_done > 0 ? Json(static_cast<double>(p.bytes_uploaded) / static_cast<double>(p.bytes_done))
                                : Json(nullptr);
  j["progressPct"] = p.bytes_total && *p.bytes_total > 0
                         ? static_cast<double>(p.bytes_done) * 100.0 / static_cast<double>(*p.bytes_total)
                         : 0.0;
  return j;
}

Json to_json(const Job& job) {
  Json j;
  j["id"] = job.id.value;
  j["userId"] = job.user_id.value;
  j["sourceKind"] = job.source_kind;
  j["source"] = job.source;
  j["engine"] = or_null(job.engine);
  j["infohash"] = or_null(job.infohash);
  j["name"] = or_null(job.name);
  j["status"] = std::string(to_string(job.status));
  j["progress"] = to_json(job.progress);
  j["error"] = or_null(job.error);
  j["errorCode"] = or_null(job.error_code);
  j["lastEventId"] = job.last_seq;
  j["createdAt"] = iso8601(job.created_at_ms);
  j["updatedAt"] = iso8601(job.updated_at_ms);
  j["completedAt"] = iso8601_or_null(job.completed_at_ms);
  j["options"] = to_json(job.options);
  j["scanStatus"] = or_null(job.scan_status);
  j["checksum"] = or_null(job.checksum);
  j["scanDetail"] = or_null(job.scan_detail);
  return j;
}

Json to_json(const JobOptions& o) {
  return Json{
      {"sequential", o.sequential}, {"downloadLimit", o.download_limit_bps}, {"uploadLimit", o.upload_limit_bps}};
}

const char* priority_name(std::uint8_t priority) {
  if (priority == 0) return "skip";
  if (priority <= 2) return "low";
  if (priority <= 5) return "normal";
  return "high";
}

std::optional<std::uint8_t> parse_priority(std::string_view name) {
  if (name == "low") return 1;
  if (name == "normal") return 4;
  if (name == "high") return 7;
  return std::nullopt;
}

Json to_json(const JobFile& f) {
  return Json{{"index", or_null(f.index)},
              {"path", f.path},
              {"size", f.size_bytes},
              {"wanted", f.priority > 0},
              {"priority", priority_name(f.priority)},
              {"id", or_null(f.file_id)}};
}

Json to_json(const StoredFile& f) {
  return Json{{"id", f.id}, {"path", f.path}, {"size", f.size_bytes}};
}

}  // namespace tseeder::jobs
