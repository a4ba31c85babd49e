#include "piece_hashes.h"

#include <algorithm>

namespace tseeder::engine_libtorrent {

void PieceHashes::add_storage(std::uint32_t storage, Geometry g) {
  storages_[storage] = g;
}

void PieceHashes::remove_storage(std::uint32_t storage) {
  storages_.erase(storage);
  std::erase_if(running_, [&](const auto& entry) { return entry.first >> 32 == storage; });
}

int PieceHashes::piece_size(std::uint32_t storage, int piece) const {
  const auto it = storages_.find(storage);
  if (it == storages_.end() || it->second.piece_length <= 0) return -1;
  const std::int64_t start = std::int64_t{piece} * it->second.piece_length;
  return static_cast<int>(std::min<std::int64_t>(it->second.piece_length, it->second.total_size - start));
}

void PieceHashes::written(std::uint32_t storage, int piece, int offset, lt::span<char const> block) {
  if (!storages_.contains(storage)) return;
  auto [it, fresh] = running_.try_emplace(key(storage, piece));
  Running& r = it->second;
  // A first block that is not the piece's first, or any block that does not continue the hash,
  // spoils it for good: the piece is read back when its hash is asked for.
  if (r.broken || offset != r.next || (fresh && offset != 0)) {
    r.broken = true;
    return;
  }
  r.sha1.update(block);
  r.next += static_cast<int>(block.size());
}

void PieceHashes::spoil(std::uint32_t storage, int piece) {
  if (storages_.contains(storage)) running_[key(storage, piece)].broken = true;
}

std::optional<lt::sha1_hash> PieceHashes::take(std::uint32_t storage, int piece) {
  const auto it = running_.find(key(storage, piece));
  if (it == running_.end()) return std::nullopt;
  std::optional<lt::sha1_hash> out;
  if (!it->second.broken && it->second.next == piece_size(storage, piece)) out = it->second.sha1.final();
  running_.erase(it);
  return out;
}

void PieceHashes::clear(std::uint32_t storage, int piece) {
  running_.erase(key(storage, piece));
}

}  // namespace tseeder::engine_libtorrent
