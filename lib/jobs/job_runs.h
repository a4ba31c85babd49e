// Where jobs run: engines (Workers), the steps after them (Pipeline), and the directories both
// write in. Stopping a run always stops both.
#pragma once
#include <string>
#include <vector>

#include "jobs/workers.h"
#include "plugin/engine.h"
#include "plugin/plugin_host.h"
#include "store/db.h"

namespace tseeder::jobs {

class Pipeline;

struct ServicePaths {
  std::string downloads_dir;  // work dirs: downloads_dir/{jobId}
  std::string torrents_dir;   // uploaded .torrent files: torrents_dir/{jobId}.torrent
};

class JobRuns {
 public:
  JobRuns(Workers& workers, Pipeline& pipeline, ServicePaths paths, store::Db& db, const plugin::PluginHost& plugins);

  Workers& workers() { return workers_; }
  Pipeline& pipeline() { return pipeline_; }
  const ServicePaths& paths() const { return paths_; }
  std::string work_dir(const JobId& id) const;
  std::string torrent_path(const JobId& id) const;

  // Its engine and its pipeline step stop; what they wrote stays.
  void stop(const JobId& id);
  // Stops the run and removes its working files.
  void discard(const JobId& id);
  // Engines that keep a job's data elsewhere too (a remote provider) are told to free it first.
  void remove_work_dir(const JobId& id);  // at once for the job; the files go on a worker
  void remove_leftovers();                // at start: dirs an earlier stop left to delete
  // The jobs that have a work dir now.
  std::vector<JobId> work_dir_ids() const;
  // What the engine is told about the job's options and file priorities.
  plugin::JobSettings settings_for(const Job& job);

 private:
  void delete_later(const std::string& path);

  Workers& workers_;
  Pipeline& pipeline_;
  ServicePaths paths_;
  store::Db& db_;
  const plugin::PluginHost& plugins_;
};

}  // namespace tseeder::jobs
