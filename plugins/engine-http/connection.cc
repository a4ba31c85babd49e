#include "connection.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tseeder::engine_http {
namespace {

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
  size_t done = 0;
  while (done < want) {
    const ssize_t w = ::pwrite(c.shared_.fd, data + done, want - done, static_cast<off_t>(c.position_ + done));
    if (w < 0) {
      if (errno == EINTR) continue;
      c.write_error_ = std::string("cannot write partial file: ") + std::strerror(errno);
      return 0;
    }
    done += static_cast<size_t>(w);
  }
  c.position_ += done;
  if (c.segment_) c.segment_->done = c.position_ - c.segment_->start;
  // Waiting here leaves the rest unread in the socket, so TCP slows the sender down: the rate
  // holds at the limit without bursts and stalls.
  if (!pace(done, c.shared_.pacer, c.shared_.settings->engine_pacer, *c.shared_.abort)) return 0;
  if (done < len) {
    c.reached_limit_ = true;
    return 0;
  }
  return len;
}

}  // namespace tseeder::engine_http
