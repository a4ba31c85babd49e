#include "file_pull.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace tseeder::engine_seedr {
namespace {

struct Pull {
  CURL* curl = nullptr;
  int fd = -1;
  std::uint64_t offset = 0;  // bytes on disk before this response
  std::uint64_t written = 0;
  std::uint64_t size = 0;
  bool started = false;
  bool too_long = false;
  bool aborted = false;
  std::string write_error;
  const std::function<bool(std::uint64_t)>* on_bytes = nullptr;
};

size_t on_body(char* data, size_t size, size_t n, void* ud) {
  auto& p = *static_cast<Pull*>(ud);
  const size_t len = size * n;
  if (!p.started) {
    p.started = true;
    long code = 0;
    curl_easy_getinfo(p.curl, CURLINFO_RESPONSE_CODE, &code);
    if (code == 200 && p.offset > 0) {
      // The server ignored the range and sends the whole file: start it over.
      if (::ftruncate(p.fd, 0) != 0 || ::lseek(p.fd, 0, SEEK_SET) != 0) {
        p.write_error = std::strerror(errno);
        return 0;
      }
      p.offset = 0;
    }
  }
  if (p.offset + p.written + len > p.size) {
    p.too_long = true;
    return 0;
  }
  size_t done = 0;
  while (done < len) {
    const ssize_t w = ::write(p.fd, data + done, len - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      p.write_error = std::strerror(errno);
      return 0;
    }
    done += static_cast<size_t>(w);
  }
  p.written += len;
  if (!(*p.on_bytes)(len)) {
    p.aborted = true;
    return 0;
  }
  return len;
}

}  // namespace

PullResult pull_once(const PullSettings& s, const std::string& url, const std::string& path, std::uint64_t size,
                     const std::function<bool(std::uint64_t)>& on_bytes) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return {PullResult::Kind::local_error, "cannot open " + path + ": " + std::strerror(errno)};
  struct stat st {};
  ::fstat(fd, &st);
  Pull p;
  p.fd = fd;
  p.size = size;
  p.offset = static_cast<std::uint64_t>(st.st_size);
  p.on_bytes = &on_bytes;
  if (p.offset > size && ::ftruncate(fd, 0) == 0) p.offset = 0;  // not this file's bytes: start over
  if (p.offset == size) {
    ::close(fd);
    return {PullResult::Kind::whole, {}};
  }
  ::lseek(fd, static_cast<off_t>(p.offset), SEEK_SET);

  CURL* curl = curl_easy_init();
  if (!curl) {
    ::close(fd);
    return {PullResult::Kind::cut, "libcurl could not start a transfer"};
  }
  p.curl = curl;
  char errbuf[CURL_ERROR_SIZE] = {0};
  const std::string range = std::to_string(p.offset) + "-" + std::to_string(size - 1);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 3L);
  curl_easy_setopt(curl, CURLOPT_RANGE, range.c_str());
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, s.http.connect_timeout_s);
  // A stalled server, not a slow one, ends the response.
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, s.http.timeout_s);
  curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_BUFFERSIZE, 512L * 1024L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "tseeder/" TSEEDER_ENGINE_VERSION);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &p);
  if (s.limit_bps) curl_easy_setopt(curl, CURLOPT_MAX_RECV_SPEED_LARGE, static_cast<curl_off_t>(s.limit_bps));
  if (!s.http.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, s.http.ca_file.c_str());
  abort_on(curl, s.http.abort);  // a stalled connection still ends when the job stops
  const CURLcode rc = curl_easy_perform(curl);
  long code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  curl_easy_cleanup(curl);
  ::close(fd);

  const std::uint64_t have = p.offset + p.written;
  if (!p.write_error.empty()) return {PullResult::Kind::local_error, "cannot write " + path + ": " + p.write_error};
  if (p.too_long)
    return {PullResult::Kind::too_long, "the server sent more than the listed " + std::to_string(size) + " bytes"};
  if (rc == CURLE_HTTP_RETURNED_ERROR) {
    if (code == 416 && have == size) return {PullResult::Kind::whole, {}};
    if (code == 401 || code == 403 || code == 404 || code == 410)
      return {PullResult::Kind::url_expired, "HTTP " + std::to_string(code)};
    return {code == 429 || code >= 500 ? PullResult::Kind::busy : PullResult::Kind::url_expired,
            "HTTP " + std::to_string(code)};
  }
  if (rc != CURLE_OK || p.aborted || have < size)
    return {PullResult::Kind::cut,
            rc != CURLE_OK ? std::string(errbuf[0] ? errbuf : curl_easy_strerror(rc)) : "the response ended early"};
  return {PullResult::Kind::whole, {}};
}

}  // namespace tseeder::engine_seedr
