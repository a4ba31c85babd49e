#include "block_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <functional>

namespace tseeder::engine_libtorrent {

namespace {

// Enough for the files being written at any one time: a torrent fills its files mostly in order.
constexpr std::size_t kOpenFiles = 64;

bool wanted(const BlockWriter::Priorities& priorities, lt::file_index_t file) {
  const auto i = static_cast<std::size_t>(static_cast<int>(file));
  return i >= priorities.size() || priorities[i] != lt::dont_download;
}

lt::storage_error failure(int err, lt::file_index_t file, lt::operation_t op) {
  lt::storage_error error(lt::error_code(err, boost::system::generic_category()), op);
  error.file(file);
  return error;
}

}  // namespace

BlockWriter::~BlockWriter() {
  close_if([](const Open&) { return true; });
}

void BlockWriter::add(std::uint32_t storage, const lt::file_storage* files, std::optional<lt::file_storage> renamed,
                      std::string save_path, Priorities priorities) {
  close(storage);
  storages_[storage] = Storage{files, std::move(renamed), std::move(save_path), std::move(priorities)};
}

void BlockWriter::remove(std::uint32_t storage) {
  close(storage);
  storages_.erase(storage);
}

void BlockWriter::close(std::uint32_t storage) {
  close_if([&](const Open& o) { return o.storage == storage; });
}

void BlockWriter::renamed(std::uint32_t storage, lt::file_index_t file, const std::string& name) {
  const auto it = storages_.find(storage);
  if (it == storages_.end()) return;
  close(storage);
  Storage& st = it->second;
  if (!st.renamed) st.renamed = *st.files;
  st.renamed->rename_file(file, name);
}

void BlockWriter::moved(std::uint32_t storage, const std::string& save_path) {
  const auto it = storages_.find(storage);
  if (it == storages_.end()) return;
  close(storage);
  it->second.save_path = save_path;
}

void BlockWriter::prioritized(std::uint32_t storage, Priorities priorities) {
  const auto it = storages_.find(storage);
  if (it != storages_.end()) it->second.priorities = std::move(priorities);
}

std::optional<lt::storage_error> BlockWriter::write(std::uint32_t storage, int piece, int offset,
                                                    lt::span<char const> block) {
  const auto it = storages_.find(storage);
  if (it == storages_.end()) return std::nullopt;
  const Storage& st = it->second;
  const auto slices = st.files->map_block(lt::piece_index_t{piece}, offset, block.size());
  for (const auto& s : slices)
    if (!st.files->pad_file_at(s.file_index) && !wanted(st.priorities, s.file_index)) return std::nullopt;

  lt::storage_error error;
  std::size_t done = 0;
  for (const auto& s : slices) {
    const auto size = static_cast<std::size_t>(s.size);
    const char* data = block.data() + done;
    done += size;
    if (st.files->pad_file_at(s.file_index)) continue;  // pad files are never written
    const int fd = descriptor(storage, st, s.file_index, error);
    if (fd < 0) return error;
    for (std::size_t written = 0; written < size;) {
      const ssize_t n = ::pwrite(fd, data + written, size - written, static_cast<off_t>(s.offset + written));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return failure(n < 0 ? errno : ENOSPC, s.file_index, lt::operation_t::file_write);
      written += static_cast<std::size_t>(n);
    }
  }
  return error;
}

int BlockWriter::descriptor(std::uint32_t storage, const Storage& st, lt::file_index_t file, lt::storage_error& error) {
  const int index = static_cast<int>(file);
  for (auto& o : open_)
    if (o.storage == storage && o.file == index) {
      o.used = ++clock_;
      return o.fd;
    }
  const std::string path = st.names().file_path(file, st.save_path);
  // As the posix storage does: create the file, and its directory when that is missing too.
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0 && errno == ENOENT) {
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    if (ec) {
      error = failure(ec.value(), file, lt::operation_t::mkdir);
      return -1;
    }
    fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  }
  if (fd < 0) {
    error = failure(errno, file, lt::operation_t::file_open);
    return -1;
  }
  if (open_.size() >= kOpenFiles) {
    const auto oldest = std::min_element(open_.begin(), open_.end(), [](auto& a, auto& b) { return a.used < b.used; });
    ::close(oldest->fd);
    open_.erase(oldest);
  }
  open_.push_back({storage, index, fd, ++clock_});
  return fd;
}

void BlockWriter::close_if(const std::function<bool(const Open&)>& which) {
  std::erase_if(open_, [&](const Open& o) {
    if (!which(o)) return false;
    ::close(o.fd);
    return true;
  });
}

}  // namespace tseeder::engine_libtorrent
