// One file served over HTTP on 127.0.0.1 by `tseeder smoke`, for a local daemon to download.
#pragma once
#include <atomic>
#include <string>
#include <thread>

namespace tseeder::cli {

class SmokeFileServer {
 public:
  // Serves `content` at /NAME on a free port of 127.0.0.1 until destroyed.
  SmokeFileServer(std::string name, std::string content);
  ~SmokeFileServer();
  SmokeFileServer(const SmokeFileServer&) = delete;
  SmokeFileServer& operator=(const SmokeFileServer&) = delete;
  std::string url() const;

 private:
  void serve();
  void answer(int fd);
  std::string name_;
  std::string content_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace tseeder::cli
