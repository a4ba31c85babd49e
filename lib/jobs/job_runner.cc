#include "jobs/job_runner.h"

#include <atomic>
#include <boost/asio/post.hpp>
#include <filesystem>
#include <mutex>

#include "core/error.h"
#include "core/unique_paths.h"

namespace tseeder::jobs {

class JobRunner::Events final : public plugin::EngineEvents {
 public:
  Events(JobRunner& runner, EngineSink& sink, JobId job, std::uint64_t generation)
      : runner_(runner), sink_(sink), job_(std::move(job)), generation_(generation) {}

  void on_metadata(std::string name, std::optional<std::uint64_t> total,
                   std::vector<plugin::EngineFile> files) override {
    name_files(files, true);
    post([name = std::move(name), total, files = std::move(files)](EngineSink& s, const JobId& id) {
      s.on_metadata(id, name, total, files);
    });
  }
  void on_progress(plugin::EngineProgress p) override {
    post([p](EngineSink& s, const JobId& id) { s.on_progress(id, p); });
  }
  void on_completed(std::vector<plugin::EngineFile> files, bool seeding) override {
    name_files(files, false);
    post([files = std::move(files), seeding](EngineSink& s, const JobId& id) { s.on_completed(id, files, seeding); });
  }
  void on_seeding_done(std::uint64_t uploaded, std::uint64_t seconds) override {
    post([uploaded, seconds](EngineSink& s, const JobId& id) { s.on_seeding_done(id, uploaded, seconds); });
  }
  void on_content_flags(std::uint32_t flags) override { content_flags_ = static_cast<std::int64_t>(flags); }
  void on_content_ids(std::vector<std::string> ids) override {
    const std::int64_t flags = content_flags_;
    // An engine that tells no flags leaves privacy unknown (treated as private by sharing).
    const auto is_private = flags < 0 ? std::nullopt : std::optional<bool>((flags & TSEEDER_CONTENT_PRIVATE) != 0);
    post([ids = std::move(ids), is_private](EngineSink& s, const JobId& id) { s.on_content_ids(id, ids, is_private); });
  }
  void on_notice(std::string kind, std::string message) override {
    post([kind = std::move(kind), message = std::move(message)](EngineSink& s, const JobId& id) {
      s.on_notice(id, kind, message);
    });
  }
  void on_failed(std::string reason, bool retryable) override {
    post([reason = std::move(reason), retryable](EngineSink& s, const JobId& id) {
      s.on_failed(id, reason, retryable);
    });
  }

 private:
  // An error in what the sink makes of an event fails the job, never the process.
  template <typename F>
  void post(F f) {
    JobRunner* runner = &runner_;
    EngineSink* sink = &sink_;
    boost::asio::post(runner_.io_, [runner, sink, job = job_, gen = generation_, f = std::move(f)] {
      if (!runner->current(job, gen)) return;
      try {
        f(*sink, job);
      } catch (const std::exception& e) {
        sink->on_internal_error(job, e.what());
      } catch (...) {
        sink->on_internal_error(job, "unknown error");
      }
    });
  }

  // Stored names are decided on the whole list the metadata gives, so a file keeps its name
  // whichever files end up wanted; a completion the metadata did not list is named on its own.
  void name_files(std::vector<plugin::EngineFile>& files, bool whole_list) {
    std::lock_guard lock(names_m_);  // engines may report from more than one thread
    if (whole_list) names_.clear();
    bool known = !names_.empty();
    for (std::size_t i = 0; known && i < files.size(); ++i) known = names_.contains(files[i].path);
    if (!known) {
      std::vector<std::string> paths;
      for (const auto& f : files) paths.push_back(f.path);
      const auto names = unique_relative_paths(paths);
      names_.clear();
      for (std::size_t i = 0; i < files.size(); ++i) names_.emplace(files[i].path, names[i]);
    }
    for (auto& f : files) f.name = names_.at(f.path);
  }

  JobRunner& runner_;
  EngineSink& sink_;
  JobId job_;
  std::uint64_t generation_;
  std::atomic<std::int64_t> content_flags_{-1};  // -1: not told
  std::mutex names_m_;
  std::map<std::string, std::string> names_;  // engine path → stored name
};

JobRunner::JobRunner(boost::asio::io_context& io, std::string downloads_dir, std::size_t max_active)
    : io_(io), downloads_dir_(std::move(downloads_dir)), max_active_(max_active) {}

JobRunner::~JobRunner() {
  stop_all();
}

namespace {
// An engine that cannot be reconfigured could never be released from a hold, so it is not held.
plugin::JobSettings for_engine(const plugin::Engine& engine, plugin::JobSettings s) {
  if (!engine.can_configure()) s.hold_after_metadata = false;
  return s;
}
}  // namespace

void JobRunner::start(const Job& job, plugin::Engine& engine, const plugin::JobSettings& requested, EngineSink& sink) {
  stop(job.id);
  std::error_code ec;
  std::filesystem::create_directories(work_dir(job.id), ec);
  if (ec) throw Error(Errc::io, "cannot create " + work_dir(job.id) + ": " + ec.message());
  const auto settings = for_engine(engine, requested);
  const auto gen = next_generation_++;
  auto events = std::make_shared<Events>(*this, sink, job.id, gen);
  auto engine_job = engine.start(job.id.value, job.source, work_dir(job.id), settings, events);
  running_[job.id] = Running{gen, std::move(engine_job), job, &engine, settings, &sink, false};
}

void JobRunner::downloaded(const JobId& id, bool seeding) {
  if (!seeding) return stop(id);
  if (auto it = running_.find(id); it != running_.end()) it->second.seeding = true;
}

std::size_t JobRunner::active() const {
  std::size_t n = 0;
  for (const auto& [id, run] : running_) n += run.seeding ? 0 : 1;
  return n;
}

void JobRunner::configure(const JobId& id, const plugin::JobSettings& requested) {
  auto it = running_.find(id);
  if (it == running_.end()) return;
  const auto settings = for_engine(*it->second.engine, requested);
  if (it->second.settings == settings) return;
  if (it->second.engine_job->configure(settings)) {
    it->second.settings = settings;
    return;
  }
  // The engine cannot change a running job: restart it, which resumes from its partial data.
  Job job = it->second.job;
  plugin::Engine* engine = it->second.engine;
  start(job, *engine, settings, *it->second.events);
}

std::optional<std::string> JobRunner::details(const JobId& job) const {
  auto it = running_.find(job);
  return it == running_.end() ? std::nullopt : it->second.engine_job->describe();
}

bool JobRunner::reannounce(const JobId& job) {
  auto it = running_.find(job);
  return it != running_.end() && it->second.engine_job->reannounce();
}

void JobRunner::stop(const JobId& job) {
  auto it = running_.find(job);
  if (it == running_.end()) return;
  auto engine_job = std::move(it->second.engine_job);
  running_.erase(it);
  engine_job->stop();  // joins the engine's thread: no callbacks after this
}

void JobRunner::stop_all() {
  while (!running_.empty()) stop(running_.begin()->first);
}

bool JobRunner::current(const JobId& job, std::uint64_t generation) const {
  auto it = running_.find(job);
  return it != running_.end() && it->second.generation == generation;
}

}  // namespace tseeder::jobs
