#include "handlers/sse_stream.h"

#include "core/json_util.h"
#include "jobs/job_state.h"

namespace tseeder::daemon {

namespace {
constexpr auto kKeepalive = std::chrono::seconds(15);

bool ends_stream(const progress::HubEvent& e) {
  if (e.final) return true;
  if (e.type != "status") return false;
  auto j = Json::parse(e.data, nullptr, false);
  if (!j.is_object() || !j.contains("status") || !j["status"].is_string()) return false;
  auto st = jobs::parse_state(j["status"].get<std::string>());
  return st && jobs::is_terminal(*st);
}
}  // namespace

SseStream::SseStream(boost::asio::io_context& io) : keepalive_(io) {}

std::string SseStream::frame(std::int64_t seq, const std::string& type, const std::string& data) {
  std::string f;
  if (seq > 0) f += "id: " + std::to_string(seq) + "\n";
  f += "event: " + type + "\n";
  f += "data: " + data + "\n\n";  // data is single-line JSON
  return f;
}

void SseStream::subscribe(progress::ProgressHub& hub, const JobId& job) {
  std::weak_ptr<SseStream> weak = shared_from_this();
  sub_ = hub.subscribe(job, [weak](const progress::HubEvent& e) {
    auto self = weak.lock();
    if (!self || self->ended_) return;
    self->push(e.seq, e.type, e.data);
    if (ends_stream(e)) self->end();
  });
  arm_keepalive();
}

void SseStream::push(std::int64_t seq, const std::string& type, const std::string& data) {
  if (ended_) return;
  frames_.push_back(frame(seq, type, data));
  deliver();
}

void SseStream::end() {
  ended_ = true;
  sub_.reset();
  keepalive_.cancel();
  deliver();
}

void SseStream::pull(PullFn done) {
  pending_ = std::move(done);
  deliver();
}

void SseStream::deliver() {
  if (!pending_) return;
  if (frames_.empty() && !ended_) return;
  auto done = std::move(pending_);
  pending_ = nullptr;
  if (frames_.empty()) return done(std::nullopt);
  // Coalesce what is queued into one write.
  std::string out;
  while (!frames_.empty()) {
    out += frames_.front();
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
      self->frames_.push_back(": keepalive\n\n");
      self->deliver();
    }
    self->arm_keepalive();
  });
}

}  // namespace tseeder::daemon
