#include "connection.h"

#include <strings.h>

#include <algorithm>

namespace tseeder::engine_http {
namespace {

// Below this much left, handing a body over to splice is not worth its pipe and system calls.
constexpr std::uint64_t kSpliceAtLeast = 1ull << 20;
// One connection's bytes per pump before the others, progress and a stop get their turn.
constexpr std::uint64_t kPumpTurn = 8ull << 20;

// Large reads are cheaper; under a limit each read is at most ~50 ms of it, so what is on disk
// follows the limit closely from one moment to the next.
long buffer_size(const Settings& s) {
  constexpr long kLargest = 512L * 1024L, kSmallest = 16L * 1024L;
  std::uint64_t limit = s.download_limit_bps;
  if (s.engine_pacer && s.engine_pacer->rate() && (!limit || s.engine_pacer->rate() < limit))
    limit = s.engine_pacer->rate();
  if (!limit) return kLargest;
  return std::clamp(static_cast<long>(std::min<std::uint64_t>(limit / 20, kLargest)), kSmallest, kLargest);
}

}  // namespace

Connection::Connection(Shared& shared, const std::string& url, std::uint64_t resume_from, const std::string& validator)
    : shared_(shared), position_(resume_from) {
  setup(url, validator, resume_from, 0);
}

Connection::Connection(Shared& shared, const std::string& url, Segment* segment, const std::string& validator)
    : shared_(shared), segment_(segment), position_(segment->next()), limit_(segment->end) {
  setup(url, validator, segment->next(), segment->end);
}

Connection::~Connection() {
  if (curl_) curl_easy_cleanup(curl_);
  curl_slist_free_all(request_headers_);
}

void Connection::setup(const std::string& url, const std::string& validator, std::uint64_t from, std::uint64_t to) {
  curl_ = curl_easy_init();
  if (!curl_) throw std::bad_alloc();
  apply_common_options(curl_, *shared_.settings, guard_, errbuf_);
  curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl_, CURLOPT_BUFFERSIZE, buffer_size(*shared_.settings));
  curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl_, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(curl_, CURLOPT_PRIVATE, this);
  if (to > 0) {
    const std::string range = std::to_string(from) + "-" + std::to_string(to - 1);
    curl_easy_setopt(curl_, CURLOPT_RANGE, range.c_str());
  } else if (from > 0) {
    curl_easy_setopt(curl_, CURLOPT_RESUME_FROM_LARGE, static_cast<curl_off_t>(from));
  }
  // If the resource changed since, the server sends all of it (200): the transfer starts over.
  if ((from > 0 || to > 0) && !validator.empty()) {
    request_headers_ = curl_slist_append(request_headers_, ("If-Range: " + validator).c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, request_headers_);
  }
}

long Connection::http_code() const {
  long code = 0;
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &code);
  return code;
}

std::string Connection::effective_url() const {
  char* eff = nullptr;
  curl_easy_getinfo(curl_, CURLINFO_EFFECTIVE_URL, &eff);
  return eff ? eff : "";
}

Failure Connection::failure(CURLcode rc) const {
  if (!write_error_.empty()) return {write_error_, false};
  return describe_failure(rc, http_code(), guard_, errbuf_);
}

void Connection::unpause_if_released() {
  if (paused_ && !shared_.held->load()) {
    paused_ = false;
    curl_easy_pause(curl_, CURLPAUSE_CONT);
  }
}

size_t Connection::on_header(char* data, size_t size, size_t n, void* ud) {
  static_cast<Connection*>(ud)->headers_.take(std::string_view(data, size * n));
  return size * n;
}

size_t Connection::on_body(char* data, size_t size, size_t n, void* ud) {
  auto& c = *static_cast<Connection*>(ud);
  const size_t len = size * n;
  if (!c.body_started_) {
    c.body_started_ = true;
    if (!c.shared_.on_first_body(c)) return 0;
    if (c.headers_.content_length) c.body_end_ = c.position_ + c.headers_.content_length;
  }
  // The host first checks the content (plan, blocklist, the same content stored already); curl
  // hands these bytes again when the transfer goes on.
  if (c.shared_.held->load()) {
    c.paused_ = true;
    return CURL_WRITEFUNC_PAUSE;
  }
  if (c.position_ >= c.limit_) {
    c.reached_limit_ = true;
    return 0;  // past this connection's range: another connection fetches the rest
  }
  const size_t want = static_cast<size_t>(std::min<std::uint64_t>(len, c.limit_ - c.position_));
  if (!write_at(c.shared_.fd, data, want, c.position_, c.write_error_)) return 0;
  c.advance(want);
  c.accepted_ += want;
  // Waiting here leaves the rest unread in the socket, so TCP slows the sender down: the rate
  // holds at the limit without bursts and stalls.
  if (!pace(want, c.shared_.pacer, c.shared_.settings->engine_pacer, *c.shared_.abort)) return 0;
  if (want < len) {
    c.reached_limit_ = true;
    return 0;
  }
  if (c.hand_over()) return 0;  // curl ends its request here; the socket is ours
  return len;
}

void Connection::advance(std::uint64_t n) {
  position_ += n;
  if (segment_) segment_->done = position_ - segment_->start;
  last_bytes_ = std::chrono::steady_clock::now();
}

// Only where the socket carries the body as it is (plain HTTP/1.x, no proxy, no transfer
// coding), and only once every byte curl read from it has been handed to us, so none is lost.
bool Connection::hand_over() {
  if (splice_ruled_out_) return false;
  const std::uint64_t end = std::min(limit_, body_end_);
  long version = 0;
  curl_easy_getinfo(curl_, CURLINFO_HTTP_VERSION, &version);
  char* scheme = nullptr;
  curl_easy_getinfo(curl_, CURLINFO_SCHEME, &scheme);
  if (end == kNoLimit || end <= position_ || end - position_ < kSpliceAtLeast || headers_.transfer_coded ||
      (version != CURL_HTTP_VERSION_1_0 && version != CURL_HTTP_VERSION_1_1) || !scheme ||
      ::strcasecmp(scheme, "http") != 0 || !direct_connection(*shared_.settings)) {
    splice_ruled_out_ = true;  // none of it changes for the rest of this response
    return false;
  }
  curl_off_t read = -1;
  curl_easy_getinfo(curl_, CURLINFO_SIZE_DOWNLOAD_T, &read);
  if (read < 0 || static_cast<std::uint64_t>(read) != accepted_) return false;  // the rest of curl's read comes next
  const curl_socket_t socket = connection_socket(curl_, guard_);
  if (socket != CURL_SOCKET_BAD) spliced_ = SplicedBody::take(socket);
  splice_ruled_out_ = !spliced_;
  return spliced_ != nullptr;
}

Connection::Pumped Connection::pump(std::optional<Failure>& failure) {
  const std::uint64_t end = std::min(limit_, body_end_);
  for (std::uint64_t moved = 0; moved < kPumpTurn;) {
    if (position_ >= end) {
      spliced_.reset();  // the rest of the response, if any, is another connection's
      return Pumped::done;
    }
    const auto max = static_cast<std::size_t>(std::min<std::uint64_t>(end - position_, buffer_size(*shared_.settings)));
    auto step = spliced_->pump(shared_.fd, position_, max);
    switch (step.kind) {
      case SplicedBody::Step::moved:
        advance(step.bytes);
        moved += step.bytes;
        if (!pace(step.bytes, shared_.pacer, shared_.settings->engine_pacer, *shared_.abort)) return Pumped::waiting;
        break;
      case SplicedBody::Step::wait:
        if (std::chrono::steady_clock::now() - last_bytes_ < std::chrono::seconds(shared_.settings->stall_timeout_s))
          return Pumped::waiting;
        failure =
            Failure{"the server sent nothing for " + std::to_string(shared_.settings->stall_timeout_s) + " s", true};
        return Pumped::failed;
      case SplicedBody::Step::closed:
        failure = Failure{segment_ ? "the server ended a range early" : "the server closed the connection early", true};
        return Pumped::failed;
      case SplicedBody::Step::receive_failed:
        failure = Failure{std::move(step.error), true};
        return Pumped::failed;
      case SplicedBody::Step::write_failed:
        failure = Failure{std::move(step.error), false};
        return Pumped::failed;
    }
  }
  return Pumped::waiting;
}

}  // namespace tseeder::engine_http
