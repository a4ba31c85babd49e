#include "storage/local_storage.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>

#include "core/error.h"
#include "core/path_safety.h"

namespace tseeder::storage {

namespace fs = std::filesystem;

namespace {
// Ids we hand out are lower-case hex ("local" for the built-in operator): nothing that could
// change the meaning of a key or path.
bool plain_id(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  return true;
}
}  // namespace

std::string job_prefix(const UserId& user, const JobId& job) {
  if (!plain_id(user.value) || !plain_id(job.value))
    throw Error(Errc::invalid_argument, "storage: '" + user.value + "/" + job.value + "' is not a user and job id");
  return user.value + "/" + job.value + "/";
}

std::string object_key(const UserId& user, const JobId& job, const std::string& relative_path) {
  const std::string prefix = job_prefix(user, job) + "files";
  std::string rel = sanitize_relative_path(relative_path);
  auto joined = join_inside(prefix, rel);
  if (!joined) throw Error(Errc::invalid_argument, "file path '" + relative_path + "' is not usable");
  return joined->generic_string();
}

LocalStorage::LocalStorage(fs::path root) : root_(std::move(root)) {
  fs::create_directories(root_);
}

void LocalStorage::check_reachable() const {
  std::error_code ec;
  if (!fs::is_directory(root_, ec) || ::access(root_.c_str(), W_OK) != 0)
    throw Error(Errc::unavailable, "local storage " + root_.string() + " is not a writable directory",
                "check that it exists, is mounted, and belongs to the daemon's user");
}

StoredObject LocalStorage::put_file(const UserId& user, const JobId& job, const std::string& relative_path,
                                    const fs::path& local_file, std::stop_token) {
  std::string key = object_key(user, job, relative_path);
  auto dest = join_inside(root_, key);
  if (!dest) throw Error(Errc::invalid_argument, "object key '" + key + "' leaves the storage root");
  std::error_code ec;
  fs::create_directories(dest->parent_path(), ec);
  if (ec) throw Error(Errc::io, "storage: cannot create " + dest->parent_path().string() + ": " + ec.message());
  // A hard link costs no space or time; the work dir's copy goes once the job is completed.
  fs::remove(*dest, ec);
  ec.clear();
  fs::create_hard_link(local_file, *dest, ec);
  if (ec) {
    ec.clear();
    fs::copy_file(local_file, *dest, fs::copy_options::overwrite_existing, ec);
  }
  if (ec) throw Error(Errc::io, "storage: cannot store " + local_file.string() + ": " + ec.message());
  auto size = fs::file_size(*dest, ec);
  if (ec) throw Error(Errc::io, "storage: cannot read back " + dest->string() + ": " + ec.message());
  return {key, size};
}

void LocalStorage::put_job_document(const UserId& user, const JobId& job, const std::string& name,
                                    const std::string& content) {
  auto dest = join_inside(root_, job_prefix(user, job) + name);
  if (!dest) throw Error(Errc::invalid_argument, "storage: document name '" + name + "' is not usable");
  std::error_code ec;
  fs::create_directories(dest->parent_path(), ec);
  const auto tmp = dest->string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) throw Error(Errc::io, "storage: cannot write " + tmp);
  }
  fs::rename(tmp, *dest, ec);
  if (ec) throw Error(Errc::io, "storage: cannot write " + dest->string() + ": " + ec.message());
}

std::optional<fs::path> LocalStorage::local_path(const std::string& key) const {
  return join_inside(root_, key);
}

std::string LocalStorage::read_range(const std::string& key, std::uint64_t offset, std::size_t length,
                                     std::stop_token) const {
  auto path = local_path(key);
  const int fd = path ? ::open(path->c_str(), O_RDONLY | O_CLOEXEC) : -1;
  if (fd < 0) throw Error(Errc::not_found, "storage: object " + key + " is missing");
  std::string out(length, '\0');
  std::size_t got = 0;
  while (got < length) {
    const ssize_t n = ::pread(fd, out.data() + got, length - got, static_cast<off_t>(offset + got));
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (got != length) throw Error(Errc::not_found, "storage: object " + key + " is shorter than its recorded size");
  return out;
}

void LocalStorage::remove_job(const UserId& user, const JobId& job, const std::set<std::string>& keep) {
  auto dir = join_inside(root_, job_prefix(user, job));
  if (!dir) return;
  std::error_code ec;
  if (keep.empty()) {
    fs::remove_all(*dir, ec);
    if (ec) throw Error(Errc::io, "storage: cannot remove " + dir->string() + ": " + ec.message());
    return;
  }
  std::vector<std::string> drop;
  for (fs::recursive_directory_iterator it(*dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec))
      if (auto key = fs::relative(it->path(), root_, ec).generic_string(); !keep.count(key)) drop.push_back(key);
  for (const auto& key : drop) remove_object(key);
}

std::vector<StoredObject> LocalStorage::list_objects() {
  std::vector<StoredObject> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root_, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec))
      out.push_back(
          {fs::relative(it->path(), root_, ec).generic_string(), static_cast<std::uint64_t>(it->file_size(ec))});
  if (ec && ec != std::errc::no_such_file_or_directory)
    throw Error(Errc::io, "storage: cannot list " + root_.string() + ": " + ec.message());
  return out;
}

void LocalStorage::remove_object(const std::string& key) {
  auto path = join_inside(root_, key);
  if (!path) return;
  std::error_code ec;
  fs::remove(*path, ec);
  if (ec) throw Error(Errc::io, "storage: cannot remove " + path->string() + ": " + ec.message());
  // Directories left empty go too, up to the root.
  for (auto dir = path->parent_path(); dir != root_ && dir.string().size() > root_.string().size();
       dir = dir.parent_path())
    if (!fs::remove(dir, ec)) break;  // not empty (or gone): stop
}

}  // namespace tseeder::storage
