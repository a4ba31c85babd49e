#include "remote_files.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/path_safety.h"
#include "core/unique_paths.h"

namespace tseeder::engine_seedr {
namespace {

constexpr int kMaxDepth = 32;
constexpr std::size_t kMaxFiles = 100'000;

struct Listed {
  std::int64_t id;
  std::string untrusted_path;
  std::uint64_t size;
};

void walk(Account& account, std::int64_t folder_id, const std::string& prefix, int depth, Stopper& stop,
          std::vector<Listed>& out) {
  if (depth > kMaxDepth) throw ServiceError("Seedr's folder tree is deeper than " + std::to_string(kMaxDepth), false);
  auto j = account.call("list_contents", {{"content_type", "folder"}, {"content_id", std::to_string(folder_id)}}, stop);
  const auto where = "Seedr's listing of folder " + std::to_string(folder_id);
  if (j.contains("result") && j["result"] == false)
    throw ServiceError(where + " failed: " + j.value("error", std::string("no reason given")), true);
  if (!j.contains("files") || !j["files"].is_array()) throw ServiceError(where + " has no files list", false);
  for (const auto& f : j["files"]) {
    auto id = number_at(f, "folder_file_id");
    auto size = number_at(f, "size");
    if (!f.is_object() || !id || !size || *size < 0 || !f.contains("name") || !f["name"].is_string())
      throw ServiceError(where + " lacks the folder_file_id, name or size of a file", false);
    out.push_back({*id, prefix + f["name"].get<std::string>(), static_cast<std::uint64_t>(*size)});
    if (out.size() > kMaxFiles) throw ServiceError(where + " holds more than 100000 files", false);
  }
  if (!j.contains("folders")) return;
  if (!j["folders"].is_array()) throw ServiceError(where + " has a folders field that is not a list", false);
  for (const auto& d : j["folders"]) {
    auto id = number_at(d, "id");
    if (!d.is_object() || !id || !d.contains("name") || !d["name"].is_string())
      throw ServiceError(where + " lacks the id or name of a subfolder", false);
    walk(account, *id, prefix + d["name"].get<std::string>() + "/", depth + 1, stop, out);
  }
}

}  // namespace

std::optional<std::int64_t> number_at(const Json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return std::nullopt;
  const auto& v = j[key];
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    char* end = nullptr;
    const long long n = std::strtoll(s.c_str(), &end, 10);
    if (!s.empty() && end && *end == '\0') return n;
  }
  return std::nullopt;
}

std::optional<RemoteState> read_state(const std::string& work_dir) {
  std::ifstream in(work_dir + "/" + kStateName);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  try {
    auto j = Json::parse(text.str());
    RemoteState s;
    s.torrent_id = j.value("torrentId", 0LL);
    s.hash = j.value("hash", std::string());
    s.title = j.value("title", std::string());
    s.folder_id = j.value("folderId", 0LL);
    return s;
  } catch (const std::exception&) {
    return std::nullopt;  // half-written by a crash before the rename: as if never written
  }
}

void write_state(const std::string& work_dir, const RemoteState& s) {
  const std::string path = work_dir + "/" + kStateName, tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << Json{{"torrentId", s.torrent_id}, {"hash", s.hash}, {"title", s.title}, {"folderId", s.folder_id}}.dump();
  }
  std::rename(tmp.c_str(), path.c_str());
}

void remove_state(const std::string& work_dir) {
  std::error_code ec;
  std::filesystem::remove(work_dir + "/" + kStateName, ec);
}

std::vector<RemoteFile> list_folder(Account& account, std::int64_t folder_id, const std::string& folder_name,
                                    Stopper& stop) {
  std::vector<Listed> listed;
  walk(account, folder_id, "", 0, stop, listed);
  // A torrent of several files keeps its folder's name above them, as BitTorrent clients save it;
  // one file stands alone.
  const bool nested =
      listed.size() > 1 || (listed.size() == 1 && listed[0].untrusted_path.find('/') != std::string::npos);
  if (nested)
    for (auto& l : listed) l.untrusted_path = folder_name + "/" + l.untrusted_path;
  std::sort(listed.begin(), listed.end(),
            [](const Listed& a, const Listed& b) { return a.untrusted_path < b.untrusted_path; });
  std::vector<std::string> untrusted;
  for (const auto& l : listed) untrusted.push_back(l.untrusted_path);
  const auto safe = unique_relative_paths(untrusted);
  std::vector<RemoteFile> out;
  for (std::size_t i = 0; i < listed.size(); ++i) out.push_back({listed[i].id, safe[i], listed[i].size});
  return out;
}

}  // namespace tseeder::engine_seedr
