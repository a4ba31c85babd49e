#include "handlers/sse_stream.h"

#include "core/json_util.h"
#include "model/job_state.h"

namespace tseeder::daemon {

namespace {
constexpr auto kKeepalive = std::chrono::seconds(15);
constexpr int kReplayPage = 32;
constexpr std::size_t kWriteBytes = 64 * 1024;  // one write to the client holds at most this (or one frame)

bool ends_stream(const progress::HubEvent& e) {
  if (e.final) return true;
  if (e.type != "status") return false;
  auto j = Json::parse(e.data, nullptr, false);
  if (!j.is_object() || !j.contains("status") || !j["status"].is_string()) return false;
  auto st = jobs::parse_state(j["status"].get<std::string>());
  return st && jobs::is_terminal(*st);
}
}  // namespace

namespace {
// Held by a stream; its place goes back when the stream goes.
struct Ticket {
  std::shared_ptr<std::map<std::string, std::size_t>> open;
  std::string account;
  ~Ticket() {
    if (auto it = open->find(account); it != open->end() && --it->second == 0) open->erase(it);
  }
};
}  // namespace

std::shared_ptr<void> StreamQuota::take(const std::string& account, std::size_t limit) {
  auto& n = (*open_)[account];
  if (limit > 0 && n >= limit) return nullptr;
  ++n;
  return std::shared_ptr<Ticket>(new Ticket{open_, account});  // no temporary: its destructor counts
}

SseStream::SseStream(boost::asio::io_context& io, std::shared_ptr<void> ticket)
    : keepalive_(io), ticket_(std::move(ticket)) {}

std::string SseStream::frame(std::int64_t seq, const std::string& type, const std::string& data) {
  std::string f;
  if (seq > 0) f += "id: " + std::to_string(seq) + "\n";
  f += "event: " + type + "\n";
  f += "data: " + data + "\n\n";  // data is single-line JSON
  return f;
}

std::string SseStream::within_limit(const std::string& data) {
  if (data.size() <= kMaxEventBytes) return data;
  auto j = Json::parse(data, nullptr, false);
  if (!j.is_object()) return dump_json(Json{{"omitted", true}, {"bytes", data.size()}});
  if (j.contains("files") && j["files"].is_array()) {
    j["fileCount"] = j["files"].size();
    j["files"] = Json::array();
    j["filesOmitted"] = "the list is too long for an event; GET /jobs/{id}/files has it";
  }
  std::string out = dump_json(j);
  if (out.size() <= kMaxEventBytes) return out;
  return dump_json(Json{{"jobId", j.value("jobId", "")}, {"omitted", true}, {"bytes", data.size()}});
}

void SseStream::start(progress::ProgressHub& hub, const JobId& job, std::int64_t after_seq, Replay replay,
                      std::optional<std::string> snapshot, bool finished) {
  hub_ = &hub;
  job_ = job;
  replay_ = std::move(replay);
  replayed_seq_ = after_seq;
  replaying_ = true;
  end_after_replay_ = finished;
  snapshot_ = std::move(snapshot);
  std::weak_ptr<SseStream> weak = shared_from_this();
  if (!finished)
    sub_ = hub.subscribe(job, [weak](const progress::HubEvent& e) {
      if (auto self = weak.lock()) self->on_live(e);
    });
  replay_page();
  arm_keepalive();
}

void SseStream::replay_page() {
  auto page = replay_(replayed_seq_, kReplayPage);
  for (const auto& e : page) {
    if (queued_bytes_ >= kMaxQueuedBytes / 2) return;  // the rest is read again when these are taken
    push(e.seq, e.type, e.data);
    replayed_seq_ = e.seq;
  }
  if (static_cast<int>(page.size()) == kReplayPage) return;  // more when these are taken
  // Caught up, in the same turn of the loop that read the store: what is published from now on
  // was stored after this read.
  replaying_ = false;
  if (end_after_replay_) return end();
  if (snapshot_) push(0, "progress", *snapshot_);
  snapshot_.reset();
}

void SseStream::on_live(const progress::HubEvent& e) {
  if (ended_) return;
  // While replaying, stored events reach the client from the store; only the end matters here.
  if (replaying_) {
    if (e.final) end_after_replay_ = true;
    return;
  }
  push(e.seq, e.type, e.data);
  if (ends_stream(e)) end();
}

void SseStream::push(std::int64_t seq, const std::string& type, const std::string& data) {
  if (ended_) return;
  const bool progress = type == "progress";
  // Progress is a state: a client behind on it only needs the newest.
  if (progress)
    std::erase_if(frames_, [&](const Frame& f) {
      if (!f.progress) return false;
      queued_bytes_ -= f.text.size();
      return true;
    });
  Frame f{frame(seq, type, within_limit(data)), seq, progress};
  queued_bytes_ += f.text.size();
  frames_.push_back(std::move(f));
  if (!replaying_ && queued_bytes_ > kMaxQueuedBytes) {
    // Too far behind to catch up live: the stored events are all still there to replay.
    const auto dropped = frames_.size();
    frames_.clear();
    const std::string data_out =
        dump_json(Json{{"jobId", job_.value},
                       {"dropped", dropped},
                       {"lastEventId", delivered_seq_},
                       {"reason", "this client read too slowly; reconnect with Last-Event-ID to replay"}});
    Frame overflow{frame(0, "overflow", data_out), 0, false};
    queued_bytes_ = overflow.text.size();
    frames_.push_back(std::move(overflow));
    return end();
  }
  deliver();
}

void SseStream::end() {
  ended_ = true;
  replaying_ = false;
  sub_.reset();
  keepalive_.cancel();
  deliver();
}

void SseStream::pull(PullFn done) {
  pending_ = std::move(done);
  if (frames_.empty() && replaying_) replay_page();
  deliver();
}

void SseStream::deliver() {
  if (!pending_) return;
  if (frames_.empty() && !ended_) return;
  auto done = std::move(pending_);
  pending_ = nullptr;
  if (frames_.empty()) return done(std::nullopt);
  std::string out;
  while (!frames_.empty() && (out.empty() || out.size() + frames_.front().text.size() <= kWriteBytes)) {
    auto& f = frames_.front();
    out += f.text;
    queued_bytes_ -= f.text.size();
    if (f.seq > 0) delivered_seq_ = f.seq;
    frames_.pop_front();
  }
  done(std::move(out));
}

void SseStream::cancel() {
  pending_ = nullptr;
  ended_ = true;
  sub_.reset();
  keepalive_.cancel();
}

void SseStream::arm_keepalive() {
  keepalive_.expires_after(kKeepalive);
  std::weak_ptr<SseStream> weak = shared_from_this();
  keepalive_.async_wait([weak](const boost::system::error_code& ec) {
    auto self = weak.lock();
    if (ec || !self || self->ended_) return;
    if (self->frames_.empty()) {
      self->frames_.push_back(Frame{": keepalive\n\n", 0, false});
      self->queued_bytes_ += self->frames_.back().text.size();
      self->deliver();
    }
    self->arm_keepalive();
  });
}

}  // namespace tseeder::daemon
