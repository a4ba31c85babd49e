#include "checksum.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <vector>

#include "content_disposition.h"
#include "core/digest.h"
#include "sidecar.h"

namespace tseeder::engine_http {

std::optional<std::string> checksum_mismatch(const std::string& checksum, const std::string& path,
                                             const std::string& expected_by) {
  if (checksum.empty()) return std::nullopt;
  const auto colon = checksum.find(':');
  if (colon == std::string::npos) return "the job's checksum '" + checksum + "' names no digest";
  const std::string algorithm = checksum.substr(0, colon), want = checksum.substr(colon + 1);
  std::string got;
  try {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return "cannot read the download to check its " + algorithm + ": " + std::strerror(errno);
    struct stat st {};
    ::fstat(fd, &st);
    try {
      got = file_range_digest_hex(algorithm, fd, 0, static_cast<std::uint64_t>(st.st_size));
    } catch (...) {
      ::close(fd);
      throw;
    }
    ::close(fd);
  } catch (const std::exception& e) {
    return "cannot check the download's " + algorithm + ": " + e.what();
  }
  if (got == want) return std::nullopt;
  return "checksum mismatch: the download's " + algorithm + " is " + got + ", " + expected_by + " " + want +
         "; the download was deleted";
}

std::optional<std::string> download_mismatch(const Settings& settings, const std::string& url,
                                             const std::string& served, const std::string& name,
                                             const std::string& path, const std::atomic<bool>& abort) {
  std::string expected = settings.checksum, by = "the job expected";
  if (expected.empty() && !served.empty()) expected = served, by = "the server's digest header says";
  if (expected.empty() && settings.sidecar_checksums) {
    const std::vector<std::string> names{url_file_name(url), name};
    if (auto d = fetch_sidecar_digest(url, names, settings, abort)) expected = *d, by = sidecar_url(url) + " says";
  }
  return checksum_mismatch(expected, path, by);
}

}  // namespace tseeder::engine_http
