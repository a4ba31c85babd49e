// A Server-Sent Events body: a job's stored events (read a page at a time as the client takes
// them), then its live events from the progress hub, with keep-alive comments so dead clients
// are noticed. What a stream holds for its client is bounded: live progress replaces older
// unsent progress, an event too large to send whole is sent abbreviated, and a client that
// falls too far behind gets an "overflow" event naming the last event it received and the stream
// ends (it reconnects with Last-Event-ID and replays from the store).
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/request.h"
#include "progress/progress_hub.h"
#include "store/event_repo.h"

namespace tseeder::daemon {

// Live event streams per account: each stream holds a ticket until it ends.
class StreamQuota {
 public:
  // A ticket, or nullptr when `account` has `limit` streams open already (0: no limit).
  std::shared_ptr<void> take(const std::string& account, std::size_t limit);
  // Streams open now, across accounts (/metrics).
  std::size_t open() const {
    std::size_t n = 0;
    for (const auto& [account, count] : *open_) n += count;
    return n;
  }

 private:
  std::shared_ptr<std::map<std::string, std::size_t>> open_ = std::make_shared<std::map<std::string, std::size_t>>();
};

class SseStream final : public BodyStream, public std::enable_shared_from_this<SseStream> {
 public:
  // Stored events after a sequence number, at most `limit` of them.
  using Replay = std::function<std::vector<store::StoredEvent>(std::int64_t after, int limit)>;
  static constexpr std::size_t kMaxQueuedBytes = 256 * 1024;
  static constexpr std::size_t kMaxEventBytes = 64 * 1024;

  SseStream(boost::asio::io_context& io, std::shared_ptr<void> ticket);
  // Stored events after `after_seq`, then `snapshot` (a progress event without an id), then live
  // events of `job`; the stream ends after a terminal status or deletion, or after the stored
  // events when `finished` (the job ended before the stream began).
  void start(progress::ProgressHub& hub, const JobId& job, std::int64_t after_seq, Replay replay,
             std::optional<std::string> snapshot, bool finished);
  void pull(PullFn done) override;
  void cancel() override;

  // seq 0 writes no id line (a snapshot that is not part of the numbered timeline).
  static std::string frame(std::int64_t seq, const std::string& type, const std::string& data);
  // `data` (JSON) within kMaxEventBytes: a long file list becomes its count.
  static std::string within_limit(const std::string& data);

 private:
  struct Frame {
    std::string text;
    std::int64_t seq = 0;
    bool progress = false;
  };
  void push(std::int64_t seq, const std::string& type, const std::string& data);
  void on_live(const progress::HubEvent& e);
  void replay_page();
  void end();
  void arm_keepalive();
  void deliver();

  boost::asio::steady_timer keepalive_;
  std::shared_ptr<void> ticket_;
  progress::ProgressHub* hub_ = nullptr;
  JobId job_;
  progress::ProgressHub::Subscription sub_;
  Replay replay_;
  std::int64_t replayed_seq_ = 0;
  bool replaying_ = false;
  bool end_after_replay_ = false;
  std::optional<std::string> snapshot_;
  std::deque<Frame> frames_;
  std::size_t queued_bytes_ = 0;
  std::int64_t delivered_seq_ = 0;  // the last numbered event handed to the client
  PullFn pending_;
  bool ended_ = false;
};

}  // namespace tseeder::daemon
