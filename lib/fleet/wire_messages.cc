#include "fleet/wire_messages.h"

#include "core/path_safety.h"
#include "storage/storage_backend.h"

namespace tseeder::fleet {

Json to_json(const plugin::JobSettings& s) {
  return {
      {"sequential", s.sequential},      {"downloadLimit", s.download_limit_bps}, {"uploadLimit", s.upload_limit_bps},
      {"priorities", s.file_priorities}, {"defaultPriority", s.default_priority}, {"hold", s.hold_after_metadata},
      {"checksum", s.checksum}};
}

plugin::JobSettings settings_from(const Json& j) {
  plugin::JobSettings s;
  s.sequential = j.at("sequential").get<bool>();
  s.download_limit_bps = j.at("downloadLimit").get<std::uint64_t>();
  s.upload_limit_bps = j.at("uploadLimit").get<std::uint64_t>();
  s.file_priorities = j.at("priorities").get<std::vector<std::uint8_t>>();
  s.default_priority = j.at("defaultPriority").get<std::uint8_t>();
  s.hold_after_metadata = j.at("hold").get<bool>();
  s.checksum = j.value("checksum", "");  // absent from older controllers
  return s;
}

Json to_json(const Assignment& a) {
  return {{"jobId", a.job.value},
          {"userId", a.owner.value},
          {"token", a.token},
          {"version", a.version},
          {"engine", a.engine},
          {"sourceKind", a.source_kind},
          {"source", a.source},
          {"infohash", or_null(a.infohash)},
          {"name", or_null(a.name)},
          {"scan", a.scan},
          {"settings", to_json(a.settings)}};
}

Assignment assignment_from(const Json& j) {
  Assignment a;
  a.job = JobId{j.at("jobId").get<std::string>()};
  a.owner = UserId{j.at("userId").get<std::string>()};
  a.token = j.at("token").get<std::string>();
  if (!looks_like_id(a.job.value) || !is_token(a.token)) malformed("jobId must be a job id and token 16 hex digits");
  a.version = j.at("version").get<std::int64_t>();
  a.engine = j.at("engine").get<std::string>();
  a.source_kind = j.at("sourceKind").get<std::string>();
  a.source = j.at("source").get<std::string>();
  a.infohash = optional_at<std::string>(j, "infohash");
  a.name = optional_at<std::string>(j, "name");
  a.scan = j.at("scan").get<bool>();
  a.settings = settings_from(j.at("settings"));
  return a;
}

Json to_json(const std::vector<plugin::EngineFile>& files) {
  Json out = Json::array();
  for (const auto& f : files) out.push_back({{"path", f.path}, {"size", f.size_bytes}});
  return out;
}

std::vector<plugin::EngineFile> engine_files_from(const Json& j) {
  std::vector<plugin::EngineFile> out;
  for (const auto& f : j.at("files"))
    out.push_back({f.at("path").get<std::string>(), f.at("size").get<std::uint64_t>()});
  return out;
}

Json to_json(const plugin::EngineProgress& p) {
  return {{"done", p.bytes_done},    {"total", or_null(p.bytes_total)},
          {"down", p.download_bps},  {"up", p.upload_bps},
          {"peers", p.peers},        {"seeds", p.seeds},
          {"eta", or_null(p.eta_s)}, {"uploaded", p.bytes_uploaded}};
}

plugin::EngineProgress progress_from(const Json& j) {
  plugin::EngineProgress p;
  p.bytes_done = j.at("done").get<std::uint64_t>();
  p.bytes_total = optional_at<std::uint64_t>(j, "total");
  p.download_bps = j.at("down").get<std::uint64_t>();
  p.upload_bps = j.at("up").get<std::uint64_t>();
  p.peers = j.at("peers").get<std::uint32_t>();
  p.seeds = j.at("seeds").get<std::uint32_t>();
  p.eta_s = optional_at<std::int64_t>(j, "eta");
  p.bytes_uploaded = optional_at<std::uint64_t>(j, "uploaded").value_or(0);  // agents before ABI 1.5 omit it
  return p;
}

namespace {
constexpr const char* kScanKinds[] = {"clean", "infected", "error", "bad_file"};
}

Json to_json(const jobs::ScanOutcome& o) {
  return {{"kind", kScanKinds[static_cast<int>(o.kind)]}, {"detail", o.detail}, {"file", o.file}};
}

jobs::ScanOutcome scan_outcome_from(const Json& j) {
  jobs::ScanOutcome o;
  const auto kind = j.at("kind").get<std::string>();
  int k = 0;
  while (k < 4 && kind != kScanKinds[k]) ++k;
  if (k == 4) malformed("unknown scan outcome '" + kind + "'");
  o.kind = static_cast<jobs::ScanOutcome::Kind>(k);
  o.detail = j.at("detail").get<std::string>();
  o.file = j.at("file").get<std::string>();
  return o;
}

Json to_json(const jobs::StoreOutcome& o) {
  Json files = Json::array();
  for (const auto& f : o.stored) files.push_back({{"path", f.path}, {"size", f.size_bytes}, {"key", f.storage_key}});
  return {{"ok", o.ok}, {"error", o.error}, {"retryable", o.retryable}, {"files", files}};
}

jobs::StoreOutcome store_outcome_from(const Json& j, const JobId& job, const UserId& owner) {
  jobs::StoreOutcome o;
  o.ok = j.at("ok").get<bool>();
  o.error = j.at("error").get<std::string>();
  o.retryable = j.at("retryable").get<bool>();
  for (const auto& f : j.at("files")) {
    jobs::StoredFile s{0, job, f.at("path").get<std::string>(), f.at("size").get<std::uint64_t>(),
                       f.at("key").get<std::string>()};
    // An agent names objects of this job only: each key must be the one its path makes.
    if (s.path != sanitize_relative_path(s.path) || storage::object_key(owner, job, s.path) != s.storage_key)
      malformed("stored file '" + s.path + "' is not an object of its job");
    o.stored.push_back(std::move(s));
  }
  return o;
}

Json to_json(const WireEvent& e) {
  return {{"seq", e.seq}, {"jobId", e.job.value}, {"token", e.token}, {"type", e.type}, {"data", e.data}};
}

WireEvent wire_event_from(const Json& j) {
  WireEvent e;
  e.seq = j.at("seq").get<std::int64_t>();
  e.job = JobId{j.at("jobId").get<std::string>()};
  e.token = j.at("token").get<std::string>();
  e.type = j.at("type").get<std::string>();
  e.data = j.at("data");
  if (!looks_like_id(e.job.value) || !is_token(e.token) || !e.data.is_object())
    malformed("an event needs a job id, a 16 hex digit token and an object of data");
  return e;
}

}  // namespace tseeder::fleet
