#include "storage/local_storage.h"

#include "core/error.h"
#include "core/path_safety.h"

namespace tseeder::storage {

namespace fs = std::filesystem;

std::string object_key(const UserId& user, const JobId& job, const std::string& relative_path) {
  const std::string prefix = user.value + "/" + job.value + "/files";
  std::string rel = sanitize_relative_path(relative_path);
  auto joined = join_inside(prefix, rel);
  if (!joined) throw Error(Errc::invalid_argument, "file path '" + relative_path + "' is not usable");
  return joined->generic_string();
}

LocalStorage::LocalStorage(fs::path root) : root_(std::move(root)) {
  fs::create_directories(root_);
}

StoredObject LocalStorage::put_file(const UserId& user, const JobId& job, const std::string& relative_path,
                                    const fs::path& local_file, bool keep_source) {
  std::string key = object_key(user, job, relative_path);
  auto dest = join_inside(root_, key);
  if (!dest) throw Error(Errc::invalid_argument, "object key '" + key + "' leaves the storage root");
  std::error_code ec;
  fs::create_directories(dest->parent_path(), ec);
  if (ec) throw Error(Errc::io, "storage: cannot create " + dest->parent_path().string() + ": " + ec.message());
  if (keep_source) {
    // A hard link costs no space; the seeding engine only reads the file.
    fs::remove(*dest, ec);
    ec.clear();
    fs::create_hard_link(local_file, *dest, ec);
    if (ec) {
      ec.clear();
      fs::copy_file(local_file, *dest, fs::copy_options::overwrite_existing, ec);
    }
  } else {
    fs::rename(local_file, *dest, ec);
    if (ec == std::errc::cross_device_link) {
      ec.clear();
      fs::copy_file(local_file, *dest, fs::copy_options::overwrite_existing, ec);
      if (!ec) fs::remove(local_file, ec);
    }
  }
  if (ec) throw Error(Errc::io, "storage: cannot store " + local_file.string() + ": " + ec.message());
  auto size = fs::file_size(*dest, ec);
  if (ec) throw Error(Errc::io, "storage: cannot read back " + dest->string() + ": " + ec.message());
  return {key, size};
}

std::optional<fs::path> LocalStorage::local_path(const std::string& key) const {
  return join_inside(root_, key);
}

void LocalStorage::remove_job(const UserId& user, const JobId& job) {
  auto dir = join_inside(root_, user.value + "/" + job.value);
  if (!dir) return;
  std::error_code ec;
  fs::remove_all(*dir, ec);
  if (ec) throw Error(Errc::io, "storage: cannot remove " + dir->string() + ": " + ec.message());
}

}  // namespace tseeder::storage
