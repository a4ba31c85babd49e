#include "plugin/engine.h"

#include <cstring>

#include "core/error.h"

namespace tseeder::plugin {
namespace {

// Copies a plugin struct whose size the plugin states; the rest stays zero.
template <typename T>
T copy_sized(const T* in) {
  T out{};
  if (in && in->struct_size > 0) {
    std::size_t n = in->struct_size < sizeof(T) ? in->struct_size : sizeof(T);
    std::memcpy(&out, in, n);
  }
  return out;
}

std::vector<EngineFile> to_files(const tseeder_file_entry* files, size_t n) {
  std::vector<EngineFile> out;
  if (!files) return out;
  const auto* bytes = reinterpret_cast<const unsigned char*>(files);
  // Entries are laid out with the plugin's struct size, which may differ from ours.
  std::size_t stride = files[0].struct_size ? files[0].struct_size : sizeof(tseeder_file_entry);
  for (size_t i = 0; i < n; ++i) {
    auto e = copy_sized(reinterpret_cast<const tseeder_file_entry*>(bytes + i * stride));
    out.push_back({e.path ? e.path : "", e.size_bytes});
  }
  return out;
}

EngineEvents* events_of(void* ctx) {
  return static_cast<EngineEvents*>(ctx);
}

// Trampolines: C in, C++ out; nothing may throw back into the plugin.
void on_metadata(void* ctx, const char* name, uint64_t total, const tseeder_file_entry* files, size_t n) {
  try {
    events_of(ctx)->on_metadata(name ? name : "", total ? std::optional<std::uint64_t>(total) : std::nullopt,
                                to_files(files, n));
  } catch (...) {
  }
}

void on_progress(void* ctx, const tseeder_progress* raw) {
  try {
    auto p = copy_sized(raw);
    EngineProgress out{p.bytes_done,
                       p.bytes_total ? std::optional<std::uint64_t>(p.bytes_total) : std::nullopt,
                       p.download_bps,
                       p.upload_bps,
                       p.peers,
                       p.seeds,
                       p.eta_s >= 0 ? std::optional<std::int64_t>(p.eta_s) : std::nullopt,
                       p.bytes_uploaded};
    events_of(ctx)->on_progress(out);
  } catch (...) {
  }
}

void on_completed(void* ctx, const tseeder_file_entry* files, size_t n) {
  try {
    events_of(ctx)->on_completed(to_files(files, n), false);
  } catch (...) {
  }
}

void on_completed_seeding(void* ctx, const tseeder_file_entry* files, size_t n) {
  try {
    events_of(ctx)->on_completed(to_files(files, n), true);
  } catch (...) {
  }
}

void on_seeding_done(void* ctx, uint64_t uploaded, uint64_t seconds) {
  try {
    events_of(ctx)->on_seeding_done(uploaded, seconds);
  } catch (...) {
  }
}

void on_failed(void* ctx, const char* reason, int retryable) {
  try {
    events_of(ctx)->on_failed(reason ? reason : "engine failed without a reason", retryable != 0);
  } catch (...) {
  }
}

void on_content_ids(void* ctx, const char* ids) {
  try {
    std::vector<std::string> out;
    std::string text = ids ? ids : "";
    for (std::size_t at = 0; at < text.size();) {
      auto end = text.find(' ', at);
      if (end == std::string::npos) end = text.size();
      if (end > at) out.push_back(text.substr(at, end - at));
      at = end + 1;
    }
    events_of(ctx)->on_content_ids(std::move(out));
  } catch (...) {
  }
}

void on_content_flags(void* ctx, uint32_t flags) {
  try {
    events_of(ctx)->on_content_flags(flags);
  } catch (...) {
  }
}

void on_notice(void* ctx, const char* kind, const char* message) {
  try {
    if (kind && message) events_of(ctx)->on_notice(kind, message);
  } catch (...) {
  }
}

}  // namespace

JobSpec::JobSpec(const std::string& job_id, const std::string& source, const std::string& work_dir,
                 const JobSettings& settings) {
  spec_.struct_size = sizeof spec_;
  spec_.job_id = job_id.c_str();
  spec_.source = source.c_str();
  spec_.work_dir = work_dir.c_str();
  spec_.flags = (settings.sequential ? TSEEDER_JOB_SEQUENTIAL : 0u) |
                (settings.hold_after_metadata ? TSEEDER_JOB_HOLD_AFTER_METADATA : 0u);
  spec_.download_limit_bps = settings.download_limit_bps;
  spec_.upload_limit_bps = settings.upload_limit_bps;
  spec_.file_priorities = settings.file_priorities.empty() ? nullptr : settings.file_priorities.data();
  spec_.file_priority_count = settings.file_priorities.size();
  spec_.default_file_priority = settings.default_priority;
  spec_.checksum = settings.checksum.c_str();
}

EngineJob::EngineJob(const tseeder_engine_api& api, void* handle, std::unique_ptr<tseeder_job_sink> sink,
                     std::shared_ptr<EngineEvents> events, std::string job_id, std::string source, std::string work_dir)
    : api_(api),
      handle_(handle),
      sink_(std::move(sink)),
      events_(std::move(events)),
      job_id_(std::move(job_id)),
      source_(std::move(source)),
      work_dir_(std::move(work_dir)) {}

EngineJob::~EngineJob() {
  stop();
}

void EngineJob::stop() {
  if (handle_) {
    api_.stop(handle_);
    handle_ = nullptr;
  }
}

bool EngineJob::configure(const JobSettings& settings) {
  if (!handle_ || !api_.configure) return false;
  JobSpec spec(job_id_, source_, work_dir_, settings);
  const auto status = api_.configure(handle_, spec.get());
  if (status == TSEEDER_UNSUPPORTED) return false;  // the host restarts the job with them
  if (status != TSEEDER_OK) throw Error(Errc::plugin, "the engine refused the new settings for job " + job_id_);
  return true;
}

namespace {
// Text from a plugin call that writes into a buffer and answers the length it needed (describe,
// provider): asked again with room when the text grew meanwhile; nullopt when it answers -1.
template <typename Call>
std::optional<std::string> grown_text(Call call) {
  std::string text(4096, '\0');
  for (int tries = 0; tries < 3; ++tries) {
    const long n = call(text.data(), text.size());
    if (n < 0) return std::nullopt;
    if (static_cast<std::size_t>(n) < text.size()) {
      text.resize(static_cast<std::size_t>(n));
      return text;
    }
    text.assign(static_cast<std::size_t>(n) + 1, '\0');
  }
  return std::nullopt;
}
}  // namespace

std::optional<std::string> EngineJob::describe() const {
  if (!handle_ || !api_.describe) return std::nullopt;
  return grown_text([&](char* buf, std::size_t len) { return api_.describe(handle_, buf, len); });
}

bool EngineJob::reannounce() {
  return handle_ && api_.reannounce && api_.reannounce(handle_) == TSEEDER_OK;
}

Engine::Engine(std::string name, const tseeder_engine_api& api, void* self)
    : name_(std::move(name)), api_(api), self_(self) {}

Engine::Verdict Engine::accepts(const std::string& source, std::string& why) const {
  char err[256] = {0};
  int ok = api_.accepts(self_, source.c_str(), err, sizeof err);
  if (ok == 1) return Verdict::accepted;
  why = err[0] ? err : "not accepted";
  return ok < 0 ? Verdict::unusable : Verdict::other_kind;
}

std::optional<SourceInfo> Engine::inspect(const std::string& source) const {
  if (!api_.inspect) return std::nullopt;
  tseeder_source_info info{};
  info.struct_size = sizeof info;
  char err[512] = {0};
  if (!api_.inspect(self_, source.c_str(), &info, err, sizeof err))
    throw Error(Errc::invalid_argument, err[0] ? err : "the engine cannot use this source");
  info.infohash[sizeof info.infohash - 1] = '\0';
  info.name[sizeof info.name - 1] = '\0';
  // Plugins built for an older ABI leave the fields they do not know zero.
  return SourceInfo{info.infohash, info.name,
                    info.total_bytes ? std::optional<std::uint64_t>(info.total_bytes) : std::nullopt,
                    info.file_count ? std::optional<std::uint32_t>(info.file_count) : std::nullopt,
                    (info.content_flags & TSEEDER_CONTENT_PRIVATE) != 0};
}

void Engine::forget(const std::string& job_id, const std::string& work_dir) const {
  if (api_.forget) api_.forget(self_, job_id.c_str(), work_dir.c_str());
}

std::optional<std::string> Engine::provider(const std::string& request) const {
  if (!api_.provider) return std::nullopt;
  return grown_text([&](char* buf, std::size_t len) { return api_.provider(self_, request.c_str(), buf, len); });
}

std::unique_ptr<EngineJob> Engine::start(const std::string& job_id, const std::string& source,
                                         const std::string& work_dir, const JobSettings& settings,
                                         std::shared_ptr<EngineEvents> events) {
  auto sink = std::make_unique<tseeder_job_sink>();
  *sink = tseeder_job_sink{
      sizeof(tseeder_job_sink), events.get(),    on_metadata,    on_progress,      on_completed, on_failed,
      on_completed_seeding,     on_seeding_done, on_content_ids, on_content_flags, on_notice};
  JobSpec spec(job_id, source, work_dir, settings);
  void* handle = nullptr;
  char err[512] = {0};
  if (api_.start(self_, spec.get(), sink.get(), &handle, err, sizeof err) != TSEEDER_OK || !handle)
    throw Error(Errc::plugin, "engine " + name_ + " could not start: " + (err[0] ? err : "no reason given"));
  return std::make_unique<EngineJob>(api_, handle, std::move(sink), std::move(events), job_id, source, work_dir);
}

}  // namespace tseeder::plugin
