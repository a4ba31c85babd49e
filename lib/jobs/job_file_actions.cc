// JobActions' file selection: PATCH /jobs/{id}/files, and the same content added again with
// other files. Files selected after completion are fetched in a further round (MoreFiles).
#include <algorithm>

#include "jobs/job_actions.h"
#include "store/content_repo.h"

namespace tseeder::jobs {

std::vector<JobFile> JobActions::change_files(const UserId& owner, const JobId& id, int limit,
                                              const std::vector<FileChange>& changes) {
  Job job = ledger_.require(owner, id);
  if (job.status == JobState::uploading)
    throw Error(Errc::conflict, "job is uploading; its file selection is final until it completes",
                "select more files once it is completed");
  if (job.status == JobState::cancelled || job.status == JobState::expired)
    throw Error(Errc::conflict, "job is " + std::string(to_string(job.status)) + "; its files are gone",
                "delete it (`tseeder rm " + id.value + "`) and add the content again");
  store::ContentRepo repo(ledger_.db());
  auto listed = repo.for_job(id);
  if (listed.empty())
    throw Error(Errc::conflict, "the job's file list is not known yet",
                "wait for its metadata_ready event, or choose files when adding the job");
  for (const auto& c : changes)
    if (c.index >= listed.size())
      throw Error(Errc::invalid_argument,
                  "file " + std::to_string(c.index) + " does not exist; the job has " + std::to_string(listed.size()) +
                      " file(s)",
                  "indexes start at 0", "files");
  const auto stored = stored_paths(ledger_.db(), id);
  for (const auto& c : changes) {
    const auto now = apply_change(listed[c.index].priority, c);
    // What a job stored stays with it: selecting fewer files never deletes any.
    if (now == 0 && listed[c.index].priority > 0 && stored.count(listed[c.index].path))
      throw Error(Errc::conflict, "file " + std::to_string(c.index) + " is stored already; it stays with the job",
                  "to remove stored files, delete the job", "files");
    listed[c.index].priority = now;
  }
  if (std::none_of(listed.begin(), listed.end(), [](const ContentFile& f) { return f.priority > 0; }))
    throw Error(Errc::invalid_argument, "at least one file must stay wanted", "to stop the job, cancel it", "files");
  if (auto over = admission_.over_plan(job.user_id, id, listed)) throw *over;
  const auto fresh = skip_stored(listed, stored);
  const bool more = job.status == JobState::completed &&
                    std::any_of(fresh.begin(), fresh.end(), [](const ContentFile& f) { return f.priority > 0; });
  if (more) admission_.check_active(job.user_id);  // it becomes active again
  Json list = Json::array();
  for (const auto& c : changes)
    list.push_back({{"index", c.index},
                    {"wanted", listed[c.index].priority > 0},
                    {"priority", priority_name(listed[c.index].priority)}});
  ledger_.record_event(id, "files_changed", Json{{"jobId", id.value}, {"files", list}}, [&] {
    for (const auto& c : changes) repo.set_priority(id, c.index, listed[c.index].priority);
  });
  if (more)
    more_.reopen(job, listed);
  else if (job.status != JobState::completed)
    flow_.reconfigure(job);
  return contents(owner, id, -1, limit);
}

Job JobActions::select_more(const Job& job, const std::vector<std::uint32_t>& files) {
  const auto listed = store::ContentRepo(ledger_.db()).for_job(job.id);
  if (listed.empty()) {
    // Still fetching its file list: the files it was added with are all it knows of.
    const auto& had = job.initial_files;
    const bool covered = !had || std::all_of(files.begin(), files.end(), [&](std::uint32_t i) {
      return std::binary_search(had->begin(), had->end(), i);
    });
    if (covered) return job;
  }
  std::vector<FileChange> changes;
  for (auto i : files)
    if (i >= listed.size() || listed[i].priority == 0) changes.push_back({i, true, std::nullopt});
  if (changes.empty()) return job;
  change_files(job.user_id, job.id, 1, changes);
  return *ledger_.jobs().find(job.id);
}

}  // namespace tseeder::jobs
