// A job's file list as its metadata gives it: the stored name of every file and each file's
// priority.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "model/job.h"
#include "plugin/engine.h"

namespace tseeder::jobs {

// The list for `files`: priorities kept from an earlier delivery of the same list (the user may
// have changed them), else from the selection made at creation.
std::vector<ContentFile> content_list(const std::vector<plugin::EngineFile>& files,
                                      const std::vector<ContentFile>& before,
                                      const std::optional<std::vector<std::uint32_t>>& initial);

// `job`'s file list for content listed as `source` (another job's): its own priorities when it
// has the list already, else its selection made at creation. Nullopt when that selection names
// a file the content does not have.
std::optional<std::vector<ContentFile>> list_for(const Job& job, const std::vector<ContentFile>& source,
                                                 const std::vector<ContentFile>& own);

}  // namespace tseeder::jobs
