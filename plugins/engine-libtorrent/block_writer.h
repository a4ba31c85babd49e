// Writes received blocks with pwrite through file descriptors kept open between blocks.
// libtorrent's posix storage opens, seeks and closes a file for every 16 KiB block; this keeps
// the last few files open instead. It writes only into files that are wanted: a block that
// touches an unwanted file (kept in libtorrent's part file) is left to the posix storage, as is
// everything else (reads, checks, renames, moves, part files). The disk thread alone uses it,
// and closes a storage's files before any of those other operations touch them.
#pragma once
#include <cstdint>
#include <libtorrent/download_priority.hpp>
#include <libtorrent/error_code.hpp>
#include <libtorrent/file_storage.hpp>
#include <libtorrent/span.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace tseeder::engine_libtorrent {

class BlockWriter {
 public:
  using Priorities = std::vector<lt::download_priority_t>;

  BlockWriter() = default;
  BlockWriter(const BlockWriter&) = delete;
  BlockWriter& operator=(const BlockWriter&) = delete;
  ~BlockWriter();

  // `files` must outlive the storage (the torrent owns it); `renamed` is the torrent's file list
  // with its renames, when it has any.
  void add(std::uint32_t storage, const lt::file_storage* files, std::optional<lt::file_storage> renamed,
           std::string save_path, Priorities priorities);
  void remove(std::uint32_t storage);
  // Closes the storage's files, before an operation of the posix storage that may touch them.
  void close(std::uint32_t storage);

  // What the posix storage did, applied here once it succeeded.
  void renamed(std::uint32_t storage, lt::file_index_t file, const std::string& name);
  void moved(std::uint32_t storage, const std::string& save_path);
  void prioritized(std::uint32_t storage, Priorities priorities);

  // Writes the block, or answers nullopt when it is the posix storage's to write.
  std::optional<lt::storage_error> write(std::uint32_t storage, int piece, int offset, lt::span<char const> block);

 private:
  struct Storage {
    const lt::file_storage* files = nullptr;
    std::optional<lt::file_storage> renamed;
    std::string save_path;
    Priorities priorities;
    const lt::file_storage& names() const { return renamed ? *renamed : *files; }
  };
  struct Open {
    std::uint32_t storage = 0;
    int file = 0;
    int fd = -1;
    std::uint64_t used = 0;
  };

  int descriptor(std::uint32_t storage, const Storage& st, lt::file_index_t file, lt::storage_error& error);
  void close_if(const std::function<bool(const Open&)>& which);

  std::unordered_map<std::uint32_t, Storage> storages_;
  std::vector<Open> open_;  // at most kOpenFiles, the least recently used goes first
  std::uint64_t clock_ = 0;
};

}  // namespace tseeder::engine_libtorrent
