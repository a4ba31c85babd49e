// One daemon per data dir: a second tseederd on the same directory would share the store and
// the work dirs, take over the socket and delete it on exit.
#pragma once
#include <string>

namespace tseeder::daemon {

class DataDirLock {
 public:
  // Locks DATA_DIR/tseederd.lock (creating the directory if needed) and writes this pid into it;
  // Errc::conflict naming the pid that holds it when another process does. The lock goes with
  // the process, so a daemon killed with -9 leaves nothing to clean up.
  explicit DataDirLock(const std::string& data_dir);
  ~DataDirLock();
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace tseeder::daemon
