// What a download kept in its work dir across restarts: the partial file's validator, name,
// size and server digest, and, when it is fetched over several connections, each range's progress.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tseeder::engine_http {

// Bytes [start, end) of the file; `done` of them, from `start`, are on disk.
struct Segment {
  std::uint64_t start = 0, end = 0, done = 0;
  std::uint64_t next() const { return start + done; }
  bool complete() const { return start + done >= end; }
};

struct PartialState {
  std::string validator;          // strong ETag, else Last-Modified, for If-Range
  std::string name;               // the file's name once finished
  std::uint64_t total = 0;        // 0 = unknown
  std::string digest;             // what the server's Repr-Digest or Digest said, "sha256:<hex>"; empty: none
  std::vector<Segment> segments;  // empty: one connection, and the partial file's size is its progress
};

// Nullopt when the file is missing or unreadable; the older three-line form reads as one connection.
std::optional<PartialState> read_partial_state(const std::string& path);
// Replaces the file atomically; `durable` also syncs it before the rename, for states that must
// never be lost once the partial file depends on them (a pre-sized file with holes).
void write_partial_state(const std::string& path, const PartialState& s, bool durable);

// What names the content for the host's dedup: the URL asked for, the size and the validator,
// hashed into one lower-case hex id. Without a validator or a size the server may answer
// differently next time, so the content gets none (nor when hashing fails: no exception may
// cross curl's callbacks).
std::string content_identity(const std::string& url, const PartialState& s);

// `connections` ranges of near-equal size covering [0, total), none under `min_bytes` (at least one).
std::vector<Segment> plan_segments(std::uint64_t total, int connections, std::uint64_t min_bytes);

}  // namespace tseeder::engine_http
