#include "handlers/zip_stream.h"

#include <zlib.h>

#include <algorithm>
#include <deque>
#include <optional>

#include "logging.h"

namespace tseeder::daemon {

struct ZipStream::State {
  enum class Phase { header, data, descriptor, trailer, done };
  storage::ZipLayout layout;
  std::vector<std::string> keys;
  storage::RangeReads& reads;
  std::size_t chunk;

  // What has gone out.
  Phase phase = Phase::header;
  std::size_t index = 0;
  std::uint64_t done_in_file = 0;
  unsigned long crc = 0;
  std::vector<std::uint32_t> crcs;

  // What is being read: up to `depth` pieces in order, each filled when its read returns; a
  // piece never spans two files.
  std::size_t depth;
  std::size_t fetch_index = 0;
  std::uint64_t fetch_offset = 0;
  std::deque<std::optional<std::string>> pieces;
  std::uint64_t first_piece = 0;  // the number of pieces.front()
  // The first piece whose read failed: the pieces before it still go out, in order; then the
  // stream ends short.
  std::optional<std::uint64_t> failed_at;
  std::optional<PullFn> waiting;

  State(storage::ZipLayout l, std::vector<std::string> k, storage::RangeReads& r, std::size_t c, std::size_t d)
      : layout(std::move(l)), keys(std::move(k)), reads(r), chunk(c), depth(d) {}

  static void fetch_next(const std::shared_ptr<State>& s);
  static void pull(const std::shared_ptr<State>& s, PullFn done);
};

ZipStream::ZipStream(storage::ZipLayout layout, std::vector<std::string> keys, storage::RangeReads& reads,
                     std::size_t chunk, std::size_t depth)
    : s_(std::make_shared<State>(std::move(layout), std::move(keys), reads, chunk, std::max<std::size_t>(depth, 1))) {
  if (s_->layout.count() == 0) s_->phase = State::Phase::trailer;
}

void ZipStream::pull(PullFn done) {
  State::pull(s_, std::move(done));
}

void ZipStream::State::fetch_next(const std::shared_ptr<State>& s) {
  while (!s->failed_at && s->pieces.size() < s->depth) {
    while (s->fetch_index < s->layout.count() && s->fetch_offset >= s->layout.entry(s->fetch_index).size) {
      ++s->fetch_index;
      s->fetch_offset = 0;
    }
    if (s->fetch_index == s->layout.count()) return;
    const std::uint64_t left = s->layout.entry(s->fetch_index).size - s->fetch_offset;
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(left, s->chunk));
    const std::uint64_t number = s->first_piece + s->pieces.size();
    s->pieces.emplace_back();
    s->reads.read(s->keys[s->fetch_index], s->fetch_offset, n,
                  [weak = std::weak_ptr<State>(s), number](std::optional<std::string> bytes, std::string error) {
                    auto s = weak.lock();
                    if (!s) return;
                    if (!bytes) {
                      // The Content-Length already sent cannot be honoured: the stream ends short.
                      if (!s->failed_at) log(Level::warn, "storage", "a zip download ended early", {{"error", error}});
                      if (!s->failed_at || number < *s->failed_at) s->failed_at = number;
                    } else {
                      s->pieces[number - s->first_piece] = std::move(*bytes);
                    }
                    if (s->waiting) {
                      auto done = std::move(*s->waiting);
                      s->waiting.reset();
                      pull(s, std::move(done));
                    }
                  });
    s->fetch_offset += n;
  }
}

void ZipStream::State::pull(const std::shared_ptr<State>& s, PullFn done) {
  switch (s->phase) {
    case Phase::header:
      fetch_next(s);
      s->crc = crc32(0L, Z_NULL, 0);
      s->done_in_file = 0;
      s->phase = s->layout.entry(s->index).size > 0 ? Phase::data : Phase::descriptor;
      return done(s->layout.local_header(s->index));
    case Phase::data: {
      if (s->failed_at && *s->failed_at == s->first_piece) {
        s->phase = Phase::done;
        return done(std::nullopt);
      }
      if (s->pieces.empty() || !s->pieces.front()) {
        s->waiting = std::move(done);
        return fetch_next(s);
      }
      std::string buf = std::move(*s->pieces.front());
      s->pieces.pop_front();
      ++s->first_piece;
      s->crc = crc32(s->crc, reinterpret_cast<const Bytef*>(buf.data()), static_cast<uInt>(buf.size()));
      s->done_in_file += buf.size();
      if (s->done_in_file == s->layout.entry(s->index).size) s->phase = Phase::descriptor;
      fetch_next(s);
      return done(std::move(buf));
    }
    case Phase::descriptor: {
      s->crcs.push_back(static_cast<std::uint32_t>(s->crc));
      std::string d = s->layout.data_descriptor(s->index, static_cast<std::uint32_t>(s->crc));
      s->phase = ++s->index < s->layout.count() ? Phase::header : Phase::trailer;
      return done(std::move(d));
    }
    case Phase::trailer:
      s->phase = Phase::done;
      return done(s->layout.trailer(s->crcs));
    case Phase::done:
      return done(std::nullopt);
  }
}

}  // namespace tseeder::daemon
