// One libcurl request of a download: the whole file (from an offset when resuming) or one range
// of it, written in place into the partial file. Run by the transfer's multi handle.
#pragma once
#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>

#include "curl_options.h"
#include "pacer.h"
#include "partial_state.h"
#include "response_headers.h"
#include "spliced_body.h"

namespace tseeder::engine_http {

class Connection;

// What the connections of one transfer share.
struct Shared {
  const Settings* settings = nullptr;
  const std::atomic<bool>* abort = nullptr;
  const std::atomic<bool>* held = nullptr;  // the host is checking the content: fetch no body yet
  Pacer* pacer = nullptr;                   // the job's limit
  int fd = -1;                              // the partial file, opened by the first body
  // Called at a connection's first body byte, after the response's headers: false aborts it.
  std::function<bool(Connection&)> on_first_body;
};

class Connection {
 public:
  static constexpr std::uint64_t kNoLimit = std::numeric_limits<std::uint64_t>::max();

  // The whole resource; with `resume_from` > 0, the rest of it from there (If-Range: validator).
  Connection(Shared& shared, const std::string& url, std::uint64_t resume_from, const std::string& validator);
  // One range, from segment->next() to its end (If-Range: validator); the segment's `done` follows.
  Connection(Shared& shared, const std::string& url, Segment* segment, const std::string& validator);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  CURL* easy() const { return curl_; }
  long http_code() const;
  std::string effective_url() const;
  Failure failure(CURLcode rc) const;

  const ResponseHeaders& headers() const { return headers_; }
  Segment* segment() const { return segment_; }
  std::uint64_t position() const { return position_; }
  // Where writes start: the first body byte goes to `at`.
  void place(std::uint64_t at) { position_ = at; }
  // From now on this request fetches `s` only: it stops at the segment's end, which it follows.
  void attach(Segment* s) { segment_ = s, limit_ = s->end; }
  bool body_started() const { return body_started_; }
  bool reached_limit() const { return reached_limit_; }
  const std::string& write_error() const { return write_error_; }
  void unpause_if_released();

  // Once curl has read the head and handed over all it read, a plain HTTP/1.x body of known
  // length goes on by splice (spliced_body.h): the request ends in curl (its write error is
  // ours) and the transfer pumps the rest itself.
  bool spliced() const { return spliced_ != nullptr; }
  int spliced_socket() const { return spliced_->socket(); }
  enum class Pumped { waiting, done, failed };
  // Moves what the socket holds, up to the end of this request's bytes; a failure says why.
  Pumped pump(std::optional<Failure>& failure);

 private:
  void setup(const std::string& url, const std::string& validator, std::uint64_t from, std::uint64_t to);
  void advance(std::uint64_t n);
  bool hand_over();
  static size_t on_header(char* data, size_t size, size_t n, void* ud);
  static size_t on_body(char* data, size_t size, size_t n, void* ud);

  Shared& shared_;
  CURL* curl_ = nullptr;
  curl_slist* request_headers_ = nullptr;
  Guard guard_;
  char errbuf_[CURL_ERROR_SIZE] = {0};
  ResponseHeaders headers_;
  Segment* segment_ = nullptr;
  std::uint64_t position_ = 0;
  std::uint64_t limit_ = kNoLimit;
  std::uint64_t body_end_ = kNoLimit;  // where the response's body ends in the file, when its length is known
  std::uint64_t accepted_ = 0;         // body bytes written from curl's callbacks
  std::unique_ptr<SplicedBody> spliced_;
  bool splice_ruled_out_ = false;
  std::chrono::steady_clock::time_point last_bytes_;
  bool body_started_ = false;
  bool paused_ = false;
  bool reached_limit_ = false;
  std::string write_error_;
};

}  // namespace tseeder::engine_http
