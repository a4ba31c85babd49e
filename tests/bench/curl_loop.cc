// The floor an HTTP engine is measured against: one libcurl easy transfer, 512 KiB receive
// buffer, each chunk written to the output with write(2). Nothing else.
//   curl_loop URL OUT
#include <curl/curl.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

namespace {

size_t on_body(char* data, size_t size, size_t n, void* ud) {
  const int fd = *static_cast<int*>(ud);
  size_t done = 0;
  while (done < size * n) {
    const ssize_t w = ::write(fd, data + done, size * n - done);
    if (w <= 0) return 0;
    done += static_cast<size_t>(w);
  }
  return done;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: curl_loop URL OUT\n");
    return 2;
  }
  int fd = ::open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return 1;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, argv[1]);
  curl_easy_setopt(curl, CURLOPT_BUFFERSIZE, 512L * 1024L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &fd);
  curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);
  const CURLcode rc = curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  curl_global_cleanup();
  return ::close(fd) == 0 && rc == CURLE_OK ? 0 : 1;
}
