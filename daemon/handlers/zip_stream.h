// A job's stored files as one stored (uncompressed) zip, streamed with the exact length the
// layout promised. Pieces of the files are read on worker threads ahead of the socket, from the
// local disk or object storage alike.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "http/request.h"
#include "storage/range_reads.h"
#include "storage/zip_layout.h"

namespace tseeder::daemon {

class ZipStream final : public BodyStream {
 public:
  // `keys[i]` is the stored object holding `layout.entry(i)`; pieces of `chunk` bytes are read,
  // up to `depth` of them at once (in memory at most `depth` × `chunk`).
  ZipStream(storage::ZipLayout layout, std::vector<std::string> keys, storage::RangeReads& reads, std::size_t chunk,
            std::size_t depth);
  void pull(PullFn done) override;
  void cancel() override {}

  struct State;

 private:
  std::shared_ptr<State> s_;  // reads under way hold it weakly: a dropped stream drops them
};

}  // namespace tseeder::daemon
