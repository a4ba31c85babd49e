#include "http_transfer.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>

#include "checkpointer.h"
#include "checksum.h"
#include "connection_set.h"
#include "content_disposition.h"
#include "core/path_safety.h"
#include "core/thread_name.h"
#include "plugin_support.h"

namespace tseeder::engine_http {
namespace {

using Clock = std::chrono::steady_clock;
// How much of a download over several connections a crash may cost: its ranges' progress is
// saved this often, each time after the data it counts is synced.
constexpr auto kCheckpointEvery = std::chrono::seconds(2);
constexpr std::uint64_t kSmallestRange = 1ull << 20;
// A backstop only: arriving data, curl's own timers, release() and stop() end the poll at once.
constexpr int kPollBackstopMs = 1000;

class Download {
 public:
  Download(const Settings& settings, const std::string& url, const std::string& work_dir, const tseeder_job_sink& sink,
           std::atomic<bool>& abort, std::atomic<bool>& held, Pacer& pacer, CURLM* multi)
      : settings_(settings),
        url_(url),
        sink_(sink),
        abort_(abort),
        partial_path_(work_dir + "/" + kPartialName),
        state_path_(work_dir + "/" + kPartialMetaName),
        final_dir_(work_dir),
        checkpointer_(state_path_),
        multi_(multi),
        connections_(multi) {
    shared_.settings = &settings;
    shared_.abort = &abort;
    shared_.held = &held;
    shared_.pacer = &pacer;
    shared_.on_first_body = [this](Connection& c) { return &c == whole_ ? first_body(c) : first_range_body(c); };
  }
  ~Download() {
    drop_connections();
    checkpointer_.wait();
    if (shared_.fd >= 0) ::close(shared_.fd);
  }

  void run();

 private:
  void begin();
  bool first_body(Connection& c);
  bool first_range_body(Connection& c);
  void start_ranges();
  void on_done(Connection& c, CURLcode rc);
  void fall_back();
  void drop_connections();
  bool open_partial(int extra_flags);
  void checkpoint();
  void save_progress();
  void send_metadata();
  void emit_progress(bool force);
  std::uint64_t bytes_done() const;
  void finish();
  void fail(const std::string& reason, bool retryable) { sink_.failed(sink_.ctx, reason.c_str(), retryable ? 1 : 0); }

  const Settings& settings_;
  const std::string url_;
  const tseeder_job_sink& sink_;
  std::atomic<bool>& abort_;
  const std::string partial_path_, state_path_, final_dir_;
  Checkpointer checkpointer_;
  Shared shared_;
  PartialState state_;
  CURLM* const multi_;  // the Transfer's, so release() and stop() can wake its poll
  ConnectionSet connections_;
  Connection* whole_ = nullptr;    // the request for the whole file, while there is one
  std::uint64_t resume_from_ = 0;  // what the whole request asks for, from a file kept
  bool ranges_waiting_ = false;    // planned, started once the host releases the hold
  bool fell_back_ = false;
  int fallbacks_ = 0;            // after one, the download stays on one connection
  bool whole_complete_ = false;  // the resumed file was whole already (416)
  std::optional<Failure> failure_;
  std::string range_url_;  // where the ranges come from: the whole request's final URL
  bool metadata_sent_ = false;
  Clock::time_point last_emit_ = Clock::now(), last_checkpoint_ = Clock::now();
  std::uint64_t last_emit_bytes_ = 0, last_checkpoint_bytes_ = 0;
};

void Download::run() {
  if (!multi_) return fail("libcurl could not start a transfer", true);
  begin();
  while (!failure_ && (connections_.running() > 0 || ranges_waiting_)) {
    if (abort_.load()) {
      drop_connections();
      checkpoint();
      return;  // stopped: keep the partial data, say nothing
    }
    if (ranges_waiting_ && !shared_.held->load()) start_ranges();
    connections_.step([this](Connection& c, CURLcode rc) { on_done(c, rc); }, failure_);
    if (fell_back_) fall_back();
    if (failure_) break;
    emit_progress(false);
    if (!state_.segments.empty() && Clock::now() - last_checkpoint_ >= kCheckpointEvery) save_progress();
    if (connections_.running() > 0) connections_.poll(kPollBackstopMs);
  }
  if (!failure_) return finish();
  drop_connections();
  checkpoint();
  fail(failure_->reason, failure_->retryable);
}

// A partial file with ranges resumes each; one without, from its size; else from the start.
void Download::begin() {
  struct stat st {};
  auto kept = read_partial_state(state_path_);
  const bool have_file = kept && ::stat(partial_path_.c_str(), &st) == 0;
  if (have_file && !kept->segments.empty() && static_cast<std::uint64_t>(st.st_size) == kept->total) {
    state_ = *kept;
    last_checkpoint_bytes_ = bytes_done();  // the pace counts from here
    if (!open_partial(0)) return;
    send_metadata();
    for (auto& s : state_.segments)
      if (!s.complete()) connections_.add(std::make_unique<Connection>(shared_, url_, &s, state_.validator));
    return;
  }
  if (have_file && kept->segments.empty() && st.st_size > 0) {
    state_ = *kept;
    resume_from_ = static_cast<std::uint64_t>(st.st_size);
  }
  whole_ = &connections_.add(std::make_unique<Connection>(shared_, url_, resume_from_, state_.validator));
}

bool Download::open_partial(int extra_flags) {
  if (shared_.fd >= 0) return true;
  shared_.fd = ::open(partial_path_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | extra_flags, 0644);
  if (shared_.fd >= 0) return true;
  failure_ = Failure{std::string("cannot open partial file: ") + std::strerror(errno), false};
  return false;
}

// The whole request's first body byte: append or start over, name the file, and split it into
// ranges when it is large and the server serves them.
bool Download::first_body(Connection& c) {
  const auto& h = c.headers();
  const long code = c.http_code();
  const bool append = code == 206 && resume_from_ > 0 && h.content_range && h.content_range->first == resume_from_;
  if (code == 206 && !append) {
    // A range other than the one asked for: trust nothing kept and start over.
    fell_back_ = true;
    return false;
  }
  if (!append) resume_from_ = 0;
  if (!open_partial(append ? 0 : O_TRUNC)) return false;
  c.place(resume_from_);
  PartialState s;
  s.validator = h.validator();
  if (append && !state_.name.empty()) {
    s.name = state_.name;
  } else {
    std::string untrusted = content_disposition_filename(h.disposition).value_or("");
    if (untrusted.empty()) untrusted = url_file_name(c.effective_url());
    // Our own bookkeeping files start with '.', which sanitize_file_name never lets through.
    s.name = sanitize_file_name(untrusted, "download");
  }
  s.total = h.content_length ? resume_from_ + h.content_length : 0;
  if (append && state_.total) s.total = state_.total;
  const std::string served = h.file_digest();
  s.digest = served.empty() && append ? state_.digest : served;
  state_ = std::move(s);
  const bool split = fallbacks_ == 0 && !append && code == 200 && h.accepts_ranges && !state_.validator.empty() &&
                     settings_.connections > 1 && state_.total >= settings_.split_min_bytes;
  if (split) state_.segments = plan_segments(state_.total, settings_.connections, kSmallestRange);
  if (state_.segments.size() > 1) {
    // The state names the ranges before the file has holes, so a crash never resumes a
    // pre-sized file as if it were whole.
    write_partial_state(state_path_, state_, true);
    if (::ftruncate(shared_.fd, static_cast<off_t>(state_.total)) != 0) {
      failure_ = Failure{std::string("cannot size partial file: ") + std::strerror(errno), false};
      return false;
    }
    c.attach(&state_.segments.front());
    range_url_ = c.effective_url();
    ranges_waiting_ = true;
  } else {
    state_.segments.clear();
    write_partial_state(state_path_, state_, false);
  }
  send_metadata();
  return true;
}

// A range's first body byte: it must be the range asked for, of the same file.
bool Download::first_range_body(Connection& c) {
  const auto& h = c.headers();
  const auto* s = c.segment();
  const std::string validator = h.validator();
  if (c.http_code() != 206 || !h.content_range || h.content_range->first != s->next() ||
      (h.content_range->total && h.content_range->total != state_.total) ||
      (!validator.empty() && validator != state_.validator)) {
    fell_back_ = true;
    return false;
  }
  if (state_.digest.empty()) state_.digest = h.file_digest();
  send_metadata();
  return true;
}

void Download::start_ranges() {
  ranges_waiting_ = false;
  for (std::size_t i = 1; i < state_.segments.size(); ++i)
    connections_.add(std::make_unique<Connection>(shared_, range_url_, &state_.segments[i], state_.validator));
}

void Download::on_done(Connection& c, CURLcode rc) {
  if (fell_back_ || failure_) return;
  if (c.reached_limit() && c.write_error().empty()) return;  // its range is on disk
  if (rc == CURLE_OK) {
    if (c.segment() && !c.segment()->complete()) failure_ = Failure{"the server ended a range early", true};
    return;
  }
  // A resumed download that was already whole: the server says the range is past the end.
  if (&c == whole_ && rc == CURLE_HTTP_RETURNED_ERROR && c.http_code() == 416 && state_.total &&
      state_.total == resume_from_) {
    whole_complete_ = true;
    return;
  }
  failure_ = c.failure(rc);
}

// The server ignored a range or the file changed under us: one connection, from the start.
void Download::fall_back() {
  fell_back_ = false;
  if (++fallbacks_ > 1) {
    failure_ = Failure{"the server answers with ranges it was not asked for", true};
    return;
  }
  ranges_waiting_ = false;
  drop_connections();
  checkpointer_.wait();
  if (shared_.fd >= 0) ::close(shared_.fd);
  shared_.fd = -1;
  state_ = PartialState{};
  std::remove(state_path_.c_str());
  resume_from_ = 0;
  if (plugin_support::sink_offers(sink_, &tseeder_job_sink::notice))
    sink_.notice(sink_.ctx, "ranges_refused",
                 "the server did not serve the ranges asked for, or the file changed; downloading it again over "
                 "one connection");
  whole_ = &connections_.add(std::make_unique<Connection>(shared_, url_, std::uint64_t{0}, std::string()));
}

void Download::drop_connections() {
  connections_.clear();
  whole_ = nullptr;
}

// Ranges' progress now, saved only after the bytes it counts are synced: at a stop or a failure.
void Download::checkpoint() {
  if (state_.segments.empty() || shared_.fd < 0) return;
  checkpointer_.save_now(shared_.fd, state_);
}

// Every kCheckpointEvery while the ranges come in, unless the download is about to end.
void Download::save_progress() {
  const std::uint64_t done = bytes_done();
  if (worth_saving(state_.total, done, last_checkpoint_bytes_) && !checkpointer_.start(shared_.fd, state_))
    return;  // the last save still runs
  last_checkpoint_ = Clock::now();
  last_checkpoint_bytes_ = done;
}

void Download::send_metadata() {
  if (metadata_sent_) return;
  metadata_sent_ = true;
  if (plugin_support::sink_offers(sink_, &tseeder_job_sink::content_ids)) {
    const std::string id = content_identity(url_, state_);
    if (!id.empty()) sink_.content_ids(sink_.ctx, id.c_str());
  }
  tseeder_file_entry f{sizeof(tseeder_file_entry), state_.name.c_str(), state_.total};
  sink_.metadata_ready(sink_.ctx, state_.name.c_str(), state_.total, &f, 1);
}

std::uint64_t Download::bytes_done() const {
  if (!state_.segments.empty()) {
    std::uint64_t sum = 0;
    for (const auto& s : state_.segments) sum += s.done;
    return sum;
  }
  return whole_ && whole_->body_started() ? whole_->position() : resume_from_;
}

void Download::emit_progress(bool force) {
  if (!metadata_sent_) return;
  const auto now = Clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - last_emit_).count();
  if (!force && ms < settings_.progress_interval_ms) return;
  const std::uint64_t bytes = bytes_done();
  const std::uint64_t bps = ms > 0 && bytes > last_emit_bytes_ ? (bytes - last_emit_bytes_) * 1000 / ms : 0;
  tseeder_progress p{};
  p.struct_size = sizeof p;
  p.bytes_done = bytes;
  p.bytes_total = state_.total;
  p.download_bps = bps;
  p.peers = static_cast<std::uint32_t>(std::max(connections_.running(), 1));
  p.eta_s = bps > 0 && state_.total > bytes ? static_cast<int64_t>((state_.total - bytes) / bps)
                                            : (state_.total && state_.total == bytes ? 0 : -1);
  last_emit_ = now;
  last_emit_bytes_ = bytes;
  sink_.progress(sink_.ctx, &p);
}

void Download::finish() {
  // An empty body never reaches on_body: create the (empty) file now.
  if (!metadata_sent_ && !whole_complete_ && whole_ && !first_body(*whole_))
    return fail(failure_ ? failure_->reason : "cannot start an empty download", false);
  for (const auto& s : state_.segments)
    if (!s.complete()) return fail("a range of the download is missing; it resumes on the next attempt", true);
  checkpointer_.wait();
  if (shared_.fd >= 0) ::close(shared_.fd);
  shared_.fd = -1;
  struct stat done {};
  ::stat(partial_path_.c_str(), &done);
  const auto size = static_cast<std::uint64_t>(done.st_size);
  if (!state_.total) state_.total = size;
  send_metadata();
  emit_progress(true);
  if (auto wrong = download_mismatch(settings_, url_, state_.digest, state_.name, partial_path_, abort_)) {
    // Not retryable: the same URL gives the same bytes. Nothing of it is kept.
    std::remove(partial_path_.c_str());
    std::remove(state_path_.c_str());
    return fail(*wrong, false);
  }
  const std::string final_path = final_dir_ + "/" + state_.name;
  if (std::rename(partial_path_.c_str(), final_path.c_str()) != 0)
    return fail(std::string("cannot rename finished download: ") + std::strerror(errno), false);
  std::remove(state_path_.c_str());
  tseeder_file_entry f{sizeof(tseeder_file_entry), state_.name.c_str(), size};
  sink_.completed(sink_.ctx, &f, 1);
}

}  // namespace

Transfer::Transfer(const Settings& settings, std::string url, std::string work_dir, const tseeder_job_sink& sink,
                   bool held)
    : settings_(settings),
      url_(std::move(url)),
      work_dir_(std::move(work_dir)),
      sink_(sink),
      held_(held),
      pacer_(settings.download_limit_bps),
      multi_(curl_multi_init()) {
  thread_ = std::thread([this] { run(); });
}

Transfer::~Transfer() {
  stop();
  if (multi_) curl_multi_cleanup(multi_);
}

void Transfer::stop() {
  abort_.store(true);
  wake();
  if (thread_.joinable()) thread_.join();
}

void Transfer::release() {
  held_.store(false);
  wake();
}

// Paused connections leave nothing to poll for: without this the transfer would notice a
// release or a stop only when its poll times out.
void Transfer::wake() {
  if (multi_) curl_multi_wakeup(multi_);
}

void Transfer::run() {
  core::name_this_thread("http-transfer");
  Download(settings_, url_, work_dir_, sink_, abort_, held_, pacer_, multi_).run();
}

}  // namespace tseeder::engine_http
