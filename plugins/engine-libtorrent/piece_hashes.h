// SHA-1 of each piece computed from its blocks as they are written, so a piece written front to
// back needs no read-back to be checked. Anything else (a block out of order, a piece begun
// before a restart, a v2 hash) answers "unknown" and the piece is read back from disk.
#pragma once
#include <cstdint>
#include <libtorrent/hasher.hpp>
#include <libtorrent/sha1_hash.hpp>
#include <libtorrent/span.hpp>
#include <optional>
#include <unordered_map>

namespace tseeder::engine_libtorrent {

class PieceHashes {
 public:
  // The torrent's geometry, taken when its storage is made.
  struct Geometry {
    std::int64_t total_size = 0;
    int piece_length = 0;
  };

  void add_storage(std::uint32_t storage, Geometry g);
  void remove_storage(std::uint32_t storage);

  // A block reached the disk at `offset` in `piece`.
  void written(std::uint32_t storage, int piece, int offset, lt::span<char const> block);
  // A block of the piece did not reach the disk: its hash must come from the disk.
  void spoil(std::uint32_t storage, int piece);
  // The piece's SHA-1 when every byte of it was written in order since the last clear; forgets it.
  std::optional<lt::sha1_hash> take(std::uint32_t storage, int piece);
  // The piece is to be written again (a failed hash check): what was hashed no longer counts.
  void clear(std::uint32_t storage, int piece);

  // Blocks of this piece have been hashed here since it was last taken or cleared.
  bool tracking(std::uint32_t storage, int piece) const { return running_.contains(key(storage, piece)); }
  std::size_t pending() const { return running_.size(); }

 private:
  static std::uint64_t key(std::uint32_t storage, int piece) {
    return (std::uint64_t{storage} << 32) | static_cast<std::uint32_t>(piece);
  }
  struct Running {
    lt::hasher sha1;
    int next = 0;         // offset of the block that continues the hash
    bool broken = false;  // a block came out of order: read the piece back instead
  };
  int piece_size(std::uint32_t storage, int piece) const;

  std::unordered_map<std::uint32_t, Geometry> storages_;
  std::unordered_map<std::uint64_t, Running> running_;
};

}  // namespace tseeder::engine_libtorrent
