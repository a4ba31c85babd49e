#include "ops/system_health.h"

#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "core/disk_space.h"
#include "core/error.h"
#include "core/ids.h"
#include "core/units.h"
#include "model/job.h"
#include "plugin/scanner.h"
#include "store/health_repo.h"

namespace tseeder::ops {
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kMiB = 1024 * 1024;
// Below this the store cannot commit: the daemon is down, whatever else works.
constexpr std::int64_t kStoreFloorBytes = 64 * kMiB;
// The checkpointer keeps the log small; one this large says it cannot (a reader held open).
constexpr std::int64_t kWalWarnBytes = 512 * kMiB;
constexpr std::int64_t kDay = 24 * 3600 * 1000;
constexpr long kProbeTimeoutS = 10;

// Runs `body`, which fills in a check, and times it; an Error or other failure is the reason.
template <typename Body>
Check timed(const std::string& name, Status on_error, Body body) {
  Check c;
  c.name = name;
  const auto t0 = std::chrono::steady_clock::now();
  try {
    body(c);
  } catch (const Error& e) {
    c.status = on_error;
    c.reason = e.message();
  } catch (const std::exception& e) {
    c.status = on_error;
    c.reason = e.what();
  }
  c.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return c;
}

}  // namespace

const char* to_string(Status s) {
  switch (s) {
    case Status::ok:
      return "ok";
    case Status::degraded:
      return "degraded";
    case Status::down:
      return "down";
  }
  return "down";
}

std::vector<Check> SystemHealth::store_checks() {
  store::HealthRepo repo(p_.db);
  std::vector<Check> out;
  out.push_back(timed("store", Status::down, [&](Check& c) {
    const auto answer = repo.quick_check();
    std::error_code ec;
    const auto wal = fs::file_size(p_.db.path() + "-wal", ec);
    const std::int64_t wal_bytes = ec ? 0 : static_cast<std::int64_t>(wal);
    const auto db_bytes = fs::file_size(p_.db.path(), ec);
    c.detail = {{"quickCheck", answer}, {"walBytes", wal_bytes}, {"fileBytes", ec ? 0 : db_bytes}};
    if (answer != "ok") {
      c.status = Status::down;
      c.reason = "the store's quick_check found a problem: " + answer.substr(0, 200);
    } else if (wal_bytes > kWalWarnBytes) {
      c.status = Status::degraded;
      c.reason = "the write-ahead log is " + format_bytes(wal_bytes) + ": a checkpoint cannot finish";
    } else {
      c.reason = "quick_check ok; log " + format_bytes(wal_bytes);
    }
  }));
  out.back().reason += " (" + std::to_string(static_cast<int>(out.back().ms)) + " ms)";
  const auto now = p_.clock.now_ms();
  out.push_back(timed("queue", Status::down, [&](Check& c) {
    const auto w = repo.waiting();
    const std::int64_t age = w.oldest_created_ms ? std::max<std::int64_t>(0, now - *w.oldest_created_ms) : 0;
    c.detail = {{"waiting", w.count}, {"oldestWaitingSeconds", age / 1000}};
    c.reason = w.count == 0 ? "no job waits"
                            : std::to_string(w.count) + " waiting; the oldest for " + format_duration(age / 1000);
  }));
  out.push_back(timed("dead_letters", Status::down, [&](Check& c) {
    const auto d = repo.dead_letters(now - kDay);
    c.detail = {{"total", d.total}, {"lastDay", d.since}};
    if (d.since > 0) {
      c.status = Status::degraded;
      c.reason = std::to_string(d.since) + " job(s) gave up in the last 24 h (" + std::to_string(d.total) +
                 " in all): see tseeder admin dlq ls";
    } else {
      c.reason = d.total == 0 ? "none" : std::to_string(d.total) + " in all, none in the last 24 h";
    }
  }));
  return out;
}

Check SystemHealth::disk(const std::string& name, const std::string& dir, std::int64_t reserve_bytes) const {
  return timed("disk:" + name, Status::down, [&](Check& c) {
    const auto free = tseeder::free_bytes(dir);
    if (!free) throw Error(Errc::unavailable, dir + " cannot be read: " + std::strerror(errno));
    const auto free_bytes = static_cast<std::int64_t>(*free);
    c.detail = {{"path", dir}, {"freeBytes", free_bytes}, {"reserveBytes", reserve_bytes}};
    const std::string text = format_bytes(free_bytes) + " free, reserve " + format_bytes(reserve_bytes);
    if (name == "data" && free_bytes < kStoreFloorBytes) {
      c.status = Status::down;
      c.reason = text + ": the store cannot grow";
    } else if (free_bytes < reserve_bytes) {
      c.status = Status::degraded;
      c.reason = text + ": new downloads wait for space";
    } else {
      c.reason = text;
    }
  });
}

Check SystemHealth::storage() {
  return timed("storage", Status::down, [&](Check& c) {
    c.detail = {{"backend", p_.storage.name()}};
    p_.storage.check_reachable();
    c.reason = p_.storage.name() + (p_.storage.remote() ? " answers a signed listing" : " is a writable directory");
  });
}

Check SystemHealth::mail() {
  return timed("smtp", Status::degraded, [&](Check& c) {
    if (!p_.mailer.enabled()) {
      c.status = p_.mail_needed ? Status::degraded : Status::ok;
      c.reason = p_.mail_needed ? "no smtp.url, yet new accounts wait for a verification mail" : "no mail configured";
      return;
    }
    const auto failure = p_.mailer.probe(kProbeTimeoutS);
    if (!failure.empty()) {
      // Downloads go on; new accounts and password resets wait for mail.
      c.status = Status::degraded;
      c.reason = "the mail server did not take a sign-in: " + failure;
    } else {
      c.reason = "the mail server greets and takes the sign-in";
    }
  });
}

Check SystemHealth::scanner() {
  return timed("scanner", Status::degraded, [&](Check& c) {
    if (!p_.cfg.scan_enabled) return void(c.reason = "scanning is off (scan.enabled)");
    if (p_.cfg.role == "controller") return void(c.reason = "the agents scan");
    const auto* scanner = p_.plugins.scanner();
    if (!scanner) {
      c.status = Status::degraded;
      c.reason = "no scanner plugin is loaded: downloads are stored unscanned";
      return;
    }
    c.detail = {{"plugin", scanner->name()}};
    // A small clean file the scanner must call clean: it answers, and its signatures load.
    const auto probe = fs::path(p_.cfg.data_dir) / ("health-probe-" + random_hex_id() + ".txt");
    std::ofstream(probe) << "tseeder health probe: a plain text file\n";
    const auto verdict = scanner->scan(probe.string());
    std::error_code ec;
    fs::remove(probe, ec);
    using Kind = plugin::ScanVerdict::Kind;
    if (verdict.kind == Kind::clean) return void(c.reason = scanner->name() + " answers");
    c.status = Status::degraded;
    c.reason = verdict.kind == Kind::infected ? "the scanner calls a plain text file infected: " + verdict.detail
                                              : "the scanner could not scan a plain file: " + verdict.detail;
  });
}

std::vector<Check> SystemHealth::remote_checks() {
  const std::int64_t reserve = p_.cfg.downloads_reserve_mib * kMiB;
  std::vector<Check> out;
  out.push_back(disk("data", p_.cfg.data_dir, std::max(reserve, kStoreFloorBytes)));
  if (p_.cfg.role != "controller") out.push_back(disk("downloads", p_.cfg.data_dir + "/downloads", reserve));
  if (!p_.storage.remote()) out.push_back(disk("storage", p_.cfg.storage_path(), reserve));
  out.push_back(storage());
  out.push_back(mail());
  out.push_back(scanner());
  const auto provider = p_.providers.active();
  if (auto account = p_.providers.account(provider)) {
    out.push_back(timed("provider", Status::degraded, [&](Check& c) {
      c.detail = {{"provider", provider}, {"status", *account}};
      const bool healthy = account->value("healthy", false);
      c.status = healthy ? Status::ok : Status::degraded;
      c.reason =
          provider +
          (healthy ? " answers" : ": " + account->value("reason", std::string("unhealthy")) + "; torrent jobs wait");
    }));
  }
  return out;
}

std::vector<Check> SystemHealth::local_checks() {
  std::vector<Check> out;
  out.push_back(timed("plugins", Status::down, [&](Check& c) {
    Json names = Json::array(), refused = Json::array();
    for (const auto& info : p_.plugins.loaded()) names.push_back(info.name);
    for (const auto& r : p_.plugins.refused()) refused.push_back({{"file", r.file}, {"reason", r.reason}});
    c.detail = {{"loaded", names}, {"refused", refused}};
    c.reason = std::to_string(names.size()) + " loaded, " + std::to_string(refused.size()) + " refused";
    if (p_.plugins.engines().empty()) {
      c.status = Status::down;
      c.reason += ": no download engine";
    } else if (!refused.empty()) {
      c.status = Status::degraded;
      c.reason += ": " + p_.plugins.refused().front().file + ": " + p_.plugins.refused().front().reason;
    }
  }));
  if (p_.fleet) {
    out.push_back(timed("agents", Status::down, [&](Check& c) {
      std::map<std::string, int> by_health;
      int working = 0;
      for (const auto& a : p_.fleet->agents()) {
        if (a.row.state == "removed") continue;
        ++by_health[fleet::to_string(a.health)];
        if (a.health == fleet::Health::healthy && a.row.state == "active") ++working;
      }
      c.detail = {{"byHealth", by_health}, {"takingWork", working}};
      c.reason = std::to_string(working) + " taking work";
      for (const auto& [h, n] : by_health) c.reason += ", " + std::to_string(n) + " " + h;
      if (working == 0) {
        c.status = Status::down;
        c.reason += ": no agent takes jobs";
      } else if (by_health.size() > 1 || !by_health.contains("healthy")) {
        c.status = Status::degraded;
      }
    }));
  }
  return out;
}

Json SystemHealth::report(std::vector<Check> checks) const {
  Status worst = Status::ok;
  Json list = Json::array();
  for (const auto& c : checks) {
    worst = std::max(worst, c.status);
    list.push_back({{"name", c.name},
                    {"status", to_string(c.status)},
                    {"reason", c.reason},
                    {"ms", std::round(c.ms * 10) / 10},
                    {"detail", c.detail}});
  }
  const auto now = p_.clock.now_ms();
  return {{"status", to_string(worst)},
          {"version", TSEEDER_VERSION},
          {"role", p_.cfg.role},
          {"uptimeSeconds", (now - p_.started_ms) / 1000},
          {"checkedAt", jobs::iso8601(now)},
          {"checks", std::move(list)}};
}

}  // namespace tseeder::ops
