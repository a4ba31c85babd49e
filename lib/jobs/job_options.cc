#include "jobs/job_options.h"

#include <algorithm>
#include <unordered_set>

#include "core/error.h"

namespace tseeder::jobs {

JobOptions apply_options(const Json& body, JobOptions base) {
  if (auto v = optional_bool(body, "sequential")) base.sequential = *v;
  if (auto v = optional_uint(body, "downloadLimit", kMaxRateBps)) base.download_limit_bps = *v;
  if (auto v = optional_uint(body, "uploadLimit", kMaxRateBps)) base.upload_limit_bps = *v;
  return base;
}

std::vector<std::uint32_t> parse_file_indexes(const Json& v, const char* field) {
  if (!v.is_array() || v.empty())
    throw Error(Errc::invalid_argument, std::string("field '") + field + "' must be a non-empty list of file indexes",
                "indexes are the 'index' values of `tseeder files`", field);
  if (v.size() > kMaxFileChanges)
    throw Error(Errc::invalid_argument,
                std::string("field '") + field + "' lists more than " + std::to_string(kMaxFileChanges) + " files", {},
                field);
  std::vector<std::uint32_t> out;
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i)
    out.push_back(static_cast<std::uint32_t>(
        uint_value(v[i], std::string(field) + "[" + std::to_string(i) + "]", field, kMaxFileIndex)));
  std::sort(out.begin(), out.end());
  if (auto dup = std::adjacent_find(out.begin(), out.end()); dup != out.end())
    throw Error(Errc::invalid_argument,
                std::string("field '") + field + "' lists file " + std::to_string(*dup) + " twice", {}, field);
  return out;
}

std::vector<FileChange> parse_file_changes(const Json& body) {
  reject_unknown_fields(body, {"files"});
  auto it = body.find("files");
  if (it == body.end() || !it->is_array() || it->empty())
    throw Error(Errc::invalid_argument, "field 'files' must be a non-empty list of changes",
                R"(send {"files": [{"index": 0, "wanted": false}, {"index": 3, "priority": "high"}]})", "files");
  if (it->size() > kMaxFileChanges)
    throw Error(Errc::invalid_argument, "field 'files' lists more than " + std::to_string(kMaxFileChanges) + " changes",
                {}, "files");
  std::vector<FileChange> out;
  std::unordered_set<std::uint32_t> seen;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const Json& e = (*it)[i];
    const std::string label = "files[" + std::to_string(i) + "]";
    if (!e.is_object()) throw Error(Errc::invalid_argument, label + " must be an object", {}, "files");
    for (auto f = e.begin(); f != e.end(); ++f)
      if (f.key() != "index" && f.key() != "wanted" && f.key() != "priority")
        throw Error(Errc::invalid_argument, label + " has unknown field '" + f.key() + "'", {}, "files");
    if (!e.contains("index")) throw Error(Errc::invalid_argument, label + ".index is required", {}, "files");
    FileChange c;
    c.index = static_cast<std::uint32_t>(uint_value(e["index"], label + ".index", "files", kMaxFileIndex));
    if (e.contains("wanted")) {
      if (!e["wanted"].is_boolean())
        throw Error(Errc::invalid_argument, label + ".wanted must be true or false", {}, "files");
      c.wanted = e["wanted"].get<bool>();
    }
    if (e.contains("priority")) {
      auto p = e["priority"].is_string() ? parse_priority(e["priority"].get<std::string>()) : std::nullopt;
      if (!p) throw Error(Errc::invalid_argument, label + ".priority must be low, normal or high", {}, "files");
      c.priority = *p;
    }
    if (!c.wanted && !c.priority)
      throw Error(Errc::invalid_argument, label + " changes nothing", "give 'wanted', 'priority' or both", "files");
    if (!seen.insert(c.index).second)
      throw Error(Errc::invalid_argument, "field 'files' changes file " + std::to_string(c.index) + " twice", {},
                  "files");
    out.push_back(c);
  }
  return out;
}

std::uint8_t apply_change(std::uint8_t current, const FileChange& change) {
  if (change.wanted && !*change.wanted) return 0;
  if (change.priority) return *change.priority;
  // Wanted again without a priority: back to normal.
  return current == 0 ? 4 : current;
}

}  // namespace tseeder::jobs
