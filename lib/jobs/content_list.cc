#include "jobs/content_list.h"

#include <algorithm>
#include <string>

#include "core/unique_paths.h"

namespace tseeder::jobs {

std::vector<ContentFile> content_list(const std::vector<plugin::EngineFile>& files,
                                      const std::vector<ContentFile>& before,
                                      const std::optional<std::vector<std::uint32_t>>& initial) {
  std::vector<ContentFile> out;
  out.reserve(files.size());
  std::vector<std::string> paths;
  for (const auto& f : files) paths.push_back(f.path);
  // The names the files are stored under (what the engine's runner names them, too).
  auto names = unique_relative_paths(paths);
  for (std::uint32_t i = 0; i < files.size(); ++i) {
    ContentFile c{i, std::move(names[i]), files[i].size_bytes, TSEEDER_PRIORITY_NORMAL};
    if (before.size() == files.size())
      c.priority = before[i].priority;
    else if (initial)
      c.priority =
          std::binary_search(initial->begin(), initial->end(), i) ? TSEEDER_PRIORITY_NORMAL : TSEEDER_PRIORITY_SKIP;
    out.push_back(std::move(c));
  }
  return out;
}

std::optional<std::vector<ContentFile>> list_for(const Job& job, const std::vector<ContentFile>& source,
                                                 const std::vector<ContentFile>& own) {
  if (job.initial_files && !job.initial_files->empty() && job.initial_files->back() >= source.size())
    return std::nullopt;
  std::vector<plugin::EngineFile> files;
  for (const auto& c : source) files.push_back({c.path, c.size_bytes});
  return content_list(files, own, job.initial_files);
}

}  // namespace tseeder::jobs
