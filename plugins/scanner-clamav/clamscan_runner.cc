#include "clamscan_runner.h"

#include <filesystem>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

extern char** environ;

namespace tseeder::clamav {

namespace {

// The verdict line is "<path>: <text>"; the path may itself hold ": ", so the text is taken
// from the line for this file.
std::string verdict_text(const std::string& output, const std::string& file) {
  const std::string prefix = file + ": ";
  std::size_t pos = 0;
  while (pos < output.size()) {
    auto end = output.find('\n', pos);
    if (end == std::string::npos) end = output.size();
    std::string line = output.substr(pos, end - pos);
    if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
    pos = end + 1;
  }
  return {};
}

std::string first_line(const std::string& s) {
  auto end = s.find('\n');
  return end == std::string::npos ? s : s.substr(0, end);
}

}  // namespace

Verdict run_clamscan(const std::string& program, const std::string& database_dir, const std::string& file,
                     int timeout_s) {
  if (program.empty()) return {TSEEDER_SCAN_ERROR, "no clamd socket configured and no clamscan program set"};
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) != 0) return {TSEEDER_SCAN_ERROR, std::string("pipe: ") + std::strerror(errno)};

  std::vector<std::string> args{program, "--no-summary", "--stdout"};
  if (!database_dir.empty()) args.push_back("--database=" + database_dir);
  args.push_back("--");
  args.push_back(file);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipefd[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, pipefd[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  pid_t pid = 0;
  int rc = ::posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipefd[1]);
  if (rc != 0) {
    ::close(pipefd[0]);
    return {TSEEDER_SCAN_ERROR, "cannot run " + program + ": " + std::strerror(rc)};
  }

  std::string output;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  bool timed_out = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{pipefd[0], POLLIN, 0};
    int n = ::poll(&p, 1, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      timed_out = n == 0;
      break;
    }
    char buf[4096];
    ssize_t got = ::read(pipefd[0], buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    if (output.size() < 65536) output.append(buf, static_cast<std::size_t>(got));
  }
  ::close(pipefd[0]);
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) return {TSEEDER_SCAN_ERROR, "clamscan gave no verdict within " + std::to_string(timeout_s) + " s"};
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  const std::string text = verdict_text(output, file);
  if (code == 0) return {TSEEDER_SCAN_CLEAN, ""};
  if (code == 1) {
    Verdict v = parse_result_text(text);
    if (v.kind == TSEEDER_SCAN_INFECTED) return v;
    return {TSEEDER_SCAN_INFECTED, "unnamed signature"};
  }
  if (code == 127) return {TSEEDER_SCAN_ERROR, "cannot run " + program};
  std::string reason = !text.empty() ? text : first_line(output);
  return {TSEEDER_SCAN_ERROR,
          "clamscan failed (exit " + std::to_string(code) + ")" + (reason.empty() ? "" : ": " + reason)};
}

std::string signature_dir(const std::string& database_dir) {
  return database_dir.empty() ? "/var/lib/clamav" : database_dir;
}

bool has_signatures(const std::string& dir) {
  static constexpr const char* kKinds[] = {".cvd", ".cld", ".cud", ".hdb", ".hsb", ".ndb",  ".ldb",
                                           ".mdb", ".msb", ".cdb", ".idb", ".yar", ".yara", ".ign2"};
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string ext = entry.path().extension().string();
    for (const char* kind : kKinds)
      if (ext == kind) return true;
  }
  return false;
}

}  // namespace tseeder::clamav
