#include "http_transfer.h"

#include "net/address_policy.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <fstream>
#include <optional>
#include <vector>

#include "checksum.h"
#include "content_disposition.h"
#include "core/digest.h"
#include "core/path_safety.h"
#include "plugin_support.h"

namespace tseeder::engine_http {
namespace {

using Clock = std::chrono::steady_clock;

struct PartialMeta {
  std::string validator;  // strong ETag, else Last-Modified, for If-Range
  std::string name;
  std::uint64_t total = 0;  // 0 = unknown
};

std::optional<PartialMeta> read_meta(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  PartialMeta m;
  std::string total;
  if (!std::getline(in, m.validator) || !std::getline(in, m.name) || !std::getline(in, total)) return std::nullopt;
  m.total = std::strtoull(total.c_str(), nullptr, 10);
  return m;
}

void write_meta(const std::string& path, const PartialMeta& m) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << m.validator << "\n" << m.name << "\n" << m.total << "\n";
  }
  std::rename(tmp.c_str(), path.c_str());
}

std::string header_value(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return {};
  for (std::size_t i = 0; i < name.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return {};
  auto v = line.substr(name.size() + 1);
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' ')) v.remove_suffix(1);
  return std::string(v);
}

// State shared by the libcurl callbacks of one transfer.
struct Run {
  Transfer* self = nullptr;
  const Settings* settings = nullptr;
  const tseeder_job_sink* sink = nullptr;
  std::atomic<bool>* abort = nullptr;
  const std::atomic<bool>* held = nullptr;
  Pacer* pacer = nullptr;  // the job's limit
  bool paused = false;     // the body waits for the host's release
  std::string url;         // as the job asked for it
  CURL* curl = nullptr;
  std::string partial_path, meta_path;
  std::uint64_t offset = 0;  // bytes already on disk before this response
  int fd = -1;
  bool body_started = false;
  bool metadata_sent = false;
  std::string write_error;
  std::string refused_address;  // set when the SSRF guard refused a connection
  PartialMeta meta;
  // Headers of the latest response (reset at every status line, so redirects don't leak in).
  std::string disposition, etag, last_modified;
  std::uint64_t content_length = 0;
  // Progress bookkeeping.
  Clock::time_point last_emit = Clock::now();
  std::uint64_t last_emit_bytes = 0;
  std::uint64_t bytes_now = 0;
};

std::string final_name(Run& r) {
  std::string untrusted;
  if (auto cd = content_disposition_filename(r.disposition)) untrusted = *cd;
  if (untrusted.empty()) {
    char* eff = nullptr;
    curl_easy_getinfo(r.curl, CURLINFO_EFFECTIVE_URL, &eff);
    if (eff) untrusted = url_file_name(eff);
  }
  std::string name = sanitize_file_name(untrusted, "download");
  // Our own bookkeeping files start with '.', which sanitize_file_name never lets through.
  return name;
}

// What names the content for the host's dedup: the URL asked for, the size and the validator
// (strong ETag, else Last-Modified), hashed into one lower-case hex id. Without a validator or a
// size the server may answer differently next time, so the content gets no identity (nor when
// hashing fails: no exception may cross curl's callback).
std::string content_identity(const std::string& url, const PartialMeta& m) {
  if (m.validator.empty() || !m.total) return {};
  try {
    return sha256_hex(url + "\n" + std::to_string(m.total) + "\n" + m.validator);
  } catch (const std::exception&) {
    return {};
  }
}

void send_metadata(Run& r) {
  if (r.metadata_sent) return;
  r.metadata_sent = true;
  const auto& sink = *r.sink;
  if (plugin_support::sink_offers(sink, &tseeder_job_sink::content_ids)) {
    const std::string id = content_identity(r.url, r.meta);
    if (!id.empty()) sink.content_ids(sink.ctx, id.c_str());
  }
  tseeder_file_entry f{sizeof(tseeder_file_entry), r.meta.name.c_str(), r.meta.total};
  r.sink->metadata_ready(r.sink->ctx, r.meta.name.c_str(), r.meta.total, &f, 1);
}

// The first body byte of the final response: decide append or restart, record metadata.
bool start_body(Run& r) {
  long code = 0;
  curl_easy_getinfo(r.curl, CURLINFO_RESPONSE_CODE, &code);
  bool append = code == 206 && r.offset > 0;
  if (!append) r.offset = 0;
  r.fd = ::open(r.partial_path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0644);
  if (r.fd < 0) {
    r.write_error = std::string("cannot open partial file: ") + std::strerror(errno);
    return false;
  }
  PartialMeta m;
  // Weak ETags (W/) cannot be used for If-Range.
  m.validator = !r.etag.empty() && r.etag.rfind("W/", 0) != 0 ? r.etag : r.last_modified;
  m.name = append && !r.meta.name.empty() ? r.meta.name : final_name(r);
  m.total = r.content_length ? r.offset + r.content_length : 0;
  if (append && r.meta.total) m.total = r.meta.total;
  r.meta = m;
  write_meta(r.meta_path, r.meta);
  r.body_started = true;
  send_metadata(r);
  return true;
}

size_t on_header(char* data, size_t size, size_t n, void* ud) {
  auto& r = *static_cast<Run*>(ud);
  std::string_view line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    r.disposition.clear();
    r.etag.clear();
    r.last_modified.clear();
    r.content_length = 0;
  } else if (auto v = header_value(line, "content-disposition"); !v.empty()) {
    r.disposition = v;
  } else if (auto v = header_value(line, "etag"); !v.empty()) {
    r.etag = v;
  } else if (auto v = header_value(line, "last-modified"); !v.empty()) {
    r.last_modified = v;
  } else if (auto v = header_value(line, "content-length"); !v.empty()) {
    r.content_length = std::strtoull(v.c_str(), nullptr, 10);
  }
  return size * n;
}

size_t on_body(char* data, size_t size, size_t n, void* ud) {
  auto& r = *static_cast<Run*>(ud);
  size_t len = size * n;
  if (!r.body_started) {
    if (!start_body(r)) return 0;
    // The host first checks the content (plan, blocklist, the same content stored already);
    // curl hands these bytes again when the transfer goes on.
    if (r.held->load()) {
      r.paused = true;
      return CURL_WRITEFUNC_PAUSE;
    }
  }
  size_t done = 0;
  while (done < len) {
    ssize_t w = ::write(r.fd, data + done, len - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      r.write_error = std::string("cannot write partial file: ") + std::strerror(errno);
      return 0;
    }
    done += static_cast<size_t>(w);
  }
  // Waiting here leaves the rest unread in the socket, so TCP slows the sender down: the rate
  // holds at the limit without bursts and stalls.
  if (!pace(len, r.pacer, r.settings->engine_pacer, *r.abort)) return 0;
  return len;
}

void emit_progress(Run& r, bool force) {
  auto now = Clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - r.last_emit).count();
  if (!force && ms < r.settings->progress_interval_ms) return;
  std::uint64_t delta = r.bytes_now - r.last_emit_bytes;
  std::uint64_t bps = ms > 0 ? delta * 1000 / static_cast<std::uint64_t>(ms) : 0;
  tseeder_progress p{};
  p.struct_size = sizeof p;
  p.bytes_done = r.bytes_now;
  p.bytes_total = r.meta.total;
  p.download_bps = bps;
  p.peers = 1;
  p.eta_s = (bps > 0 && r.meta.total > r.bytes_now) ? static_cast<int64_t>((r.meta.total - r.bytes_now) / bps)
                                                    : (r.meta.total && r.meta.total == r.bytes_now ? 0 : -1);
  r.last_emit = now;
  r.last_emit_bytes = r.bytes_now;
  r.sink->progress(r.sink->ctx, &p);
}

// Every connection, the first and each redirect's, is checked on the address it is about to
// reach, so a name that resolves to an internal address is refused like the address itself.
curl_socket_t open_socket(void* ud, curlsocktype purpose, curl_sockaddr* a) {
  auto* r = static_cast<Run*>(ud);
  if (purpose == CURLSOCKTYPE_IPCXN && !r->settings->allow_private_urls) {
    if (auto why = tseeder::net::restricted_address(&a->addr)) {
      r->refused_address = tseeder::net::address_text(&a->addr) + " (" + *why + ")";
      return CURL_SOCKET_BAD;
    }
  }
  return ::socket(a->family, a->socktype, a->protocol);
}

int on_xfer(void* ud, curl_off_t, curl_off_t dlnow, curl_off_t, curl_off_t) {
  auto& r = *static_cast<Run*>(ud);
  if (r.abort->load(std::memory_order_relaxed)) return 1;
  // curl calls this at least once a second while paused; only this thread may unpause.
  if (r.paused && !r.held->load()) {
    r.paused = false;
    curl_easy_pause(r.curl, CURLPAUSE_CONT);
  }
  if (r.body_started) {
    r.bytes_now = r.offset + static_cast<std::uint64_t>(dlnow);
    emit_progress(r, false);
  }
  return 0;
}

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

bool retryable_http(long code) {
  return code >= 500 || code == 408 || code == 429;
}

bool retryable_curl(CURLcode rc) {
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

}  // namespace

Transfer::Transfer(const Settings& settings, std::string url, std::string work_dir, const tseeder_job_sink& sink,
                   bool held)
    : settings_(settings),
      url_(std::move(url)),
      work_dir_(std::move(work_dir)),
      sink_(sink),
      held_(held),
      pacer_(settings.download_limit_bps) {
  thread_ = std::thread([this] { run(); });
}

Transfer::~Transfer() {
  stop();
}

void Transfer::stop() {
  abort_.store(true);
  if (thread_.joinable()) thread_.join();
}

void Transfer::run() {
  Run r;
  r.self = this;
  r.settings = &settings_;
  r.sink = &sink_;
  r.url = url_;
  r.abort = &abort_;
  r.held = &held_;
  r.pacer = &pacer_;
  r.partial_path = work_dir_ + "/" + kPartialName;
  r.meta_path = work_dir_ + "/" + kPartialMetaName;
  struct stat st {};
  auto meta = read_meta(r.meta_path);
  if (meta && ::stat(r.partial_path.c_str(), &st) == 0 && st.st_size > 0) {
    r.offset = static_cast<std::uint64_t>(st.st_size);
    r.meta = *meta;
  }

  CURL* curl = curl_easy_init();
  if (!curl) {
    sink_.failed(sink_.ctx, "libcurl could not start a transfer", 1);
    return;
  }
  r.curl = curl;
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_slist* headers = nullptr;
  curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, settings_.max_redirects);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, settings_.connect_timeout_s);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, settings_.stall_timeout_s);
  curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_BUFFERSIZE, buffer_size(settings_));
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "tseeder/" TSEEDER_ENGINE_VERSION);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, open_socket);
  curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &r);
  // A proxy from the environment would fetch internal addresses for us, past the guard.
  if (!settings_.allow_private_urls) curl_easy_setopt(curl, CURLOPT_PROXY, "");
  if (!settings_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, settings_.ca_file.c_str());
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &r);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_xfer);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &r);
  if (r.offset > 0) {
    curl_easy_setopt(curl, CURLOPT_RESUME_FROM_LARGE, static_cast<curl_off_t>(r.offset));
    // If the resource changed since, the server sends all of it (200) and we start over.
    if (!r.meta.validator.empty()) headers = curl_slist_append(headers, ("If-Range: " + r.meta.validator).c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  }

  CURLcode rc = curl_easy_perform(curl);
  long code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  if (r.fd >= 0) ::close(r.fd);
  curl_slist_free_all(headers);

  if (abort_.load()) {
    curl_easy_cleanup(curl);
    return;  // stopped: keep the partial file, say nothing
  }
  if (rc == CURLE_OK && !r.body_started) {
    // An empty body never reaches on_body: create the (empty) file now.
    r.offset = 0;
    if (!start_body(r)) rc = CURLE_WRITE_ERROR;
    if (r.fd >= 0) ::close(r.fd);
  }
  // A resumed download that was already whole: the server says the range is past the end.
  if (rc == CURLE_HTTP_RETURNED_ERROR && code == 416 && r.meta.total && r.meta.total == r.offset) {
    rc = CURLE_OK;
    r.body_started = true;
  }
  curl_easy_cleanup(curl);

  if (rc != CURLE_OK) {
    std::string reason;
    bool retry = false;
    if (!r.write_error.empty()) {
      reason = r.write_error;
    } else if (!r.refused_address.empty()) {
      reason = "refused to connect to " + r.refused_address +
               ": URL jobs may not reach loopback, private, link-local or cloud-metadata addresses "
               "(the operator can allow them with allow_private_urls)";
    } else if (rc == CURLE_HTTP_RETURNED_ERROR) {
      reason = "HTTP " + std::to_string(code) + " from server";
      retry = retryable_http(code);
    } else {
      reason = std::string(curl_easy_strerror(rc)) + (errbuf[0] ? std::string(": ") + errbuf : "");
      retry = retryable_curl(rc);
    }
    sink_.failed(sink_.ctx, reason.c_str(), retry ? 1 : 0);
    return;
  }

  struct stat done {};
  ::stat(r.partial_path.c_str(), &done);
  r.bytes_now = static_cast<std::uint64_t>(done.st_size);
  if (!r.meta.total) r.meta.total = r.bytes_now;
  send_metadata(r);
  emit_progress(r, true);
  if (auto wrong = checksum_mismatch(settings_.checksum, r.partial_path)) {
    // Not retryable: the same URL gives the same bytes. Nothing of it is kept.
    std::remove(r.partial_path.c_str());
    std::remove(r.meta_path.c_str());
    sink_.failed(sink_.ctx, wrong->c_str(), 0);
    return;
  }
  std::string final_path = work_dir_ + "/" + r.meta.name;
  if (std::rename(r.partial_path.c_str(), final_path.c_str()) != 0) {
    std::string reason = std::string("cannot rename finished download: ") + std::strerror(errno);
    sink_.failed(sink_.ctx, reason.c_str(), 0);
    return;
  }
  std::remove(r.meta_path.c_str());
  tseeder_file_entry f{sizeof(tseeder_file_entry), r.meta.name.c_str(), r.bytes_now};
  sink_.completed(sink_.ctx, &f, 1);
}

}  // namespace tseeder::engine_http
