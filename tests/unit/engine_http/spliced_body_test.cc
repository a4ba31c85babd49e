#include "spliced_body.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <thread>

namespace tseeder::engine_http {
namespace {

// A connected pair of loopback TCP sockets: `receiver` non-blocking, as curl leaves its sockets.
struct Loopback {
  int sender = -1, receiver = -1;
  Loopback() {
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    EXPECT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(::listen(listener, 1), 0);
    EXPECT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&a), &len), 0);
    receiver = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    EXPECT_EQ(::connect(receiver, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    sender = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    ::close(listener);
    ::fcntl(receiver, F_SETFL, ::fcntl(receiver, F_GETFL) | O_NONBLOCK);
  }
  ~Loopback() {
    if (sender >= 0) ::close(sender);
    if (receiver >= 0) ::close(receiver);
  }
};

std::string pattern(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + i / 4096) & 0xff);
  return s;
}

void send_all_then_close(int fd, const std::string& data) {
  for (std::size_t done = 0; done < data.size();) {
    const ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
}

class SplicedBodyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("spliced-body-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Pumps until the sender closes; the bytes moved, and whether every step was a kind we expect.
  static std::uint64_t pump_to_end(SplicedBody& body, int fd, std::uint64_t offset) {
    std::uint64_t moved = 0;
    for (;;) {
      const auto step = body.pump(fd, offset + moved, 256 * 1024);
      if (step.kind == SplicedBody::Step::moved) {
        moved += step.bytes;
      } else if (step.kind == SplicedBody::Step::wait) {
        pollfd p{body.socket(), POLLIN, 0};
        EXPECT_EQ(::poll(&p, 1, 5000), 1);
      } else {
        EXPECT_EQ(step.kind, SplicedBody::Step::closed) << step.error;
        return moved;
      }
    }
  }
  // `body` sent and the connection closed, pumped into the partial file (opened with
  // `extra_flags`) at `offset`: what lands there.
  std::string round_trip(const std::string& body, int extra_flags, std::uint64_t offset) {
    Loopback net;
    const int fd = ::open((dir_ / "partial").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | extra_flags, 0644);
    EXPECT_GE(fd, 0);
    auto spliced = SplicedBody::take(net.receiver);
    EXPECT_TRUE(spliced);
    if (fd < 0 || !spliced) return {};
    ::close(net.receiver);  // as curl does once the body is handed over: the duplicate goes on
    net.receiver = -1;
    std::thread sender(send_all_then_close, net.sender, body);
    EXPECT_EQ(pump_to_end(*spliced, fd, offset), body.size());
    sender.join();
    ::close(fd);
    return read_file(offset, body.size());
  }
  std::string read_file(std::size_t offset, std::size_t n) const {
    std::string s(n, '\0');
    const int fd = ::open((dir_ / "partial").c_str(), O_RDONLY | O_CLOEXEC);
    EXPECT_EQ(::pread(fd, s.data(), n, static_cast<off_t>(offset)), static_cast<ssize_t>(n));
    ::close(fd);
    return s;
  }

  std::filesystem::path dir_;
};

TEST_F(SplicedBodyTest, MovesTheBodyToItsPlaceInTheFile) {
  const std::string body = pattern(3 * 1024 * 1024 + 123);
  EXPECT_EQ(round_trip(body, 0, 4096), body);
}

TEST_F(SplicedBodyTest, CopiesWhereTheFileTakesNoSplicedWrites) {
  // The kernel refuses to splice into a file opened for appending, as some file systems refuse
  // spliced writes altogether; appends at offset 0 of an empty file land in place.
  const std::string body = pattern(2 * 1024 * 1024 + 7);
  EXPECT_EQ(round_trip(body, O_APPEND, 0), body);
}

TEST_F(SplicedBodyTest, WaitsWithoutBlockingUntilBytesOrTheEndArrive) {
  Loopback net;
  const int fd = ::open((dir_ / "partial").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  auto spliced = SplicedBody::take(net.receiver);
  ASSERT_TRUE(spliced);
  EXPECT_EQ(spliced->pump(fd, 0, 1024).kind, SplicedBody::Step::wait);
  ASSERT_EQ(::send(net.sender, "abc", 3, MSG_NOSIGNAL), 3);
  pollfd p{spliced->socket(), POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 5000), 1);
  const auto step = spliced->pump(fd, 0, 1024);
  EXPECT_EQ(step.kind, SplicedBody::Step::moved);
  EXPECT_EQ(step.bytes, 3u);
  ::shutdown(net.sender, SHUT_WR);
  ASSERT_EQ(::poll(&p, 1, 5000), 1);
  EXPECT_EQ(spliced->pump(fd, 3, 1024).kind, SplicedBody::Step::closed);
  ::close(fd);
  EXPECT_EQ(read_file(0, 3), "abc");
}

TEST_F(SplicedBodyTest, AResetIsAReceiveFailure) {
  Loopback net;
  const int fd = ::open((dir_ / "partial").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  auto spliced = SplicedBody::take(net.receiver);
  ASSERT_TRUE(spliced);
  linger hard{1, 0};  // close with a reset
  ::setsockopt(net.sender, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
  ::close(net.sender);
  net.sender = -1;
  pollfd p{spliced->socket(), POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 5000), 1);
  const auto step = spliced->pump(fd, 0, 1024);
  EXPECT_EQ(step.kind, SplicedBody::Step::receive_failed);
  EXPECT_NE(step.error.find("receiving failed"), std::string::npos) << step.error;
  ::close(fd);
}

}  // namespace
}  // namespace tseeder::engine_http
