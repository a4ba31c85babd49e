// What engine-seedr keeps about a job in its work dir (the remote transfer and, once finished, its
// folder), and the finished folder's files as the job sees them.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "seedr_account.h"

namespace tseeder::engine_seedr {

struct RemoteState {
  std::int64_t torrent_id = 0;  // the transfer in the account (user_torrent_id)
  std::string hash;             // its infohash, lower-case hex, as the service reported it
  std::string title;            // the name its folder gets when it finishes
  std::int64_t folder_id = 0;   // 0 until the transfer finished
};

// A file of a finished folder: its id for fetch_file, where it goes inside the work dir (sanitized,
// unique within the job), and the size the service lists.
struct RemoteFile {
  std::int64_t id = 0;
  std::string path;
  std::uint64_t size = 0;
};

inline constexpr const char* kStateName = ".seedr-job.json";

std::optional<RemoteState> read_state(const std::string& work_dir);
void write_state(const std::string& work_dir, const RemoteState& state);  // atomically
void remove_state(const std::string& work_dir);

// Every file under the folder (named `folder_name`), its subfolders' files with their folder names
// as the path, sorted by path; several files get the folder's name above them. A listing that lacks a file's id, name
// or size, or a tree too deep or too large, is a ServiceError that retrying does not mend.
std::vector<RemoteFile> list_folder(Account& account, std::int64_t folder_id, const std::string& folder_name,
                                    Stopper& stop);

// The number of a JSON field that may come as a number or as a numeric string; nullopt otherwise.
std::optional<std::int64_t> number_at(const Json& j, const char* key);

}  // namespace tseeder::engine_seedr
