// The rest of a plain HTTP/1.x response body moved from the socket into the partial file by
// splice(2), once curl has read the head and handed over every body byte it read. The kernel
// moves the socket's pages into a pipe and copies them once, into the file's page cache, where
// reading into a buffer and writing it out copies each byte twice. A file system that cannot
// take spliced writes gets the same bytes through a buffer instead.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tseeder::engine_http {

// pwrite(2) of all `n` bytes at `offset`; false with `error` set ("cannot write partial file: …").
bool write_at(int fd, const char* data, std::size_t n, std::uint64_t offset, std::string& error);

class SplicedBody {
 public:
  // Works on its own duplicate of `socket`, so curl may close its own; null when no pipe can be made.
  static std::unique_ptr<SplicedBody> take(int socket);
  ~SplicedBody();
  SplicedBody(const SplicedBody&) = delete;
  SplicedBody& operator=(const SplicedBody&) = delete;

  int socket() const { return socket_; }

  struct Step {
    enum Kind { moved, wait, closed, receive_failed, write_failed } kind = wait;
    std::size_t bytes = 0;  // written to the file, for `moved`
    std::string error;      // for the two failures
  };
  // Moves what the socket holds now, at most `max` bytes, into `fd` at `offset`; never waits
  // for the network.
  Step pump(int fd, std::uint64_t offset, std::size_t max);

 private:
  SplicedBody(int socket, int pipe_read, int pipe_write);
  bool drain_pipe(int fd, std::uint64_t offset, std::size_t n, std::string& error);

  int socket_ = -1, pipe_read_ = -1, pipe_write_ = -1;
  bool copying_ = false;      // the file refused a spliced write: read and write instead
  std::vector<char> buffer_;  // for copying
};

}  // namespace tseeder::engine_http
