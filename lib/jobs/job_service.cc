#include "jobs/job_service.h"

namespace tseeder::jobs {

JobService::JobService(boost::asio::io_context& io, store::Db& db, progress::ProgressHub& hub,
                       storage::StorageBackend& storage, plugin::PluginHost& plugins, quota::Quota& quota,
                       Pipeline& pipeline, Workers& workers, const Clock& clock, LifecycleSettings settings,
                       Report report)
    : ledger_(db, hub, clock, *this, *this),
      runs_(workers, pipeline, std::move(settings.paths), db, plugins),
      recovery_(ledger_, runs_, settings.retry, std::move(report)),
      admission_(ledger_, runs_, recovery_, quota, std::move(settings.disk)),
      sharing_(ledger_, runs_, admission_),
      finisher_(ledger_, runs_, recovery_, storage, plugins, settings.scan_enabled),
      flow_(ledger_, runs_, recovery_, admission_, sharing_, finisher_, plugins, *this),
      actions_(ledger_, runs_, recovery_, admission_, sharing_, flow_, plugins, storage),
      dispatcher_(io, db, flow_, recovery_, workers, clock, std::move(settings.node)) {}

void JobService::leader_moved(const JobId& leader, JobState to) {
  sharing_.lead(leader, to);
}

void JobService::work_available() {
  dispatcher_.poke();
}

void JobService::on_metadata(const JobId& id, const std::string& name, std::optional<std::uint64_t> total,
                             const std::vector<plugin::EngineFile>& files) {
  flow_.on_metadata(id, name, total, files);
}

void JobService::on_progress(const JobId& id, const plugin::EngineProgress& p) {
  flow_.on_progress(id, p);
}

void JobService::on_completed(const JobId& id, const std::vector<plugin::EngineFile>& files, bool seeding) {
  flow_.on_completed(id, files, seeding);
}

void JobService::on_seeding_done(const JobId& id, std::uint64_t uploaded, std::uint64_t seconds) {
  flow_.end_seeding(id, Json{{"jobId", id.value}, {"uploaded", uploaded}, {"seconds", seconds}});
}

void JobService::on_failed(const JobId& id, const std::string& reason, bool retryable) {
  recovery_.on_failed(id, reason, retryable);
}

void JobService::on_content_ids(const JobId& id, const std::vector<std::string>& ids, std::optional<bool> is_private) {
  admission_.on_content_ids(id, ids, is_private);
}

void JobService::on_notice(const JobId& id, const std::string& kind, const std::string& message) {
  flow_.on_notice(id, kind, message);
}

void JobService::on_internal_error(const JobId& id, const std::string& what) noexcept {
  recovery_.on_internal_error(id, what);
}

void JobService::on_scanned(const JobId& id, const ScanOutcome& outcome) {
  finisher_.on_scanned(id, outcome);
}

void JobService::on_stored(const JobId& id, const StoreOutcome& outcome) {
  finisher_.on_stored(id, outcome);
}

void JobService::requeue(const JobId& id, const std::string& why) {
  flow_.requeue(id, why);
}

void JobService::guarded(const JobId& id, const std::function<void()>& work) noexcept {
  recovery_.guarded(id, work);
}

}  // namespace tseeder::jobs
