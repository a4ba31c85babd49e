#include "fleet/agent.h"

#include <unistd.h>

#include <boost/asio/post.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <utility>

#include "core/base64.h"
#include "core/digest.h"
#include "core/disk_space.h"
#include "core/error.h"
#include "core/ids.h"
#include "core/secret_file.h"
#include "core/thread_name.h"
#include "fleet/wire_signature.h"
#include "net/http_client.h"
#include "plugin/scanner.h"

namespace tseeder::fleet {

namespace fs = std::filesystem;

namespace {
constexpr std::size_t kBatch = 500;
constexpr std::size_t kBatchBytes = 1 << 20;  // more only when one event is larger
constexpr auto kPoll = std::chrono::seconds(1);

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string host_name() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0 || !buf[0]) return "agent";
  return buf;
}

// MiB/s this machine writes (with fsync) and hashes 32 MiB at: the slower of the two, at least 1.
std::int64_t measure_score(const std::string& dir) {
  constexpr std::size_t kBytes = 32u << 20;
  std::string data(kBytes, '\0');
  for (std::size_t i = 0; i < kBytes; i += 4096) data[i] = static_cast<char>(i >> 12);
  const fs::path probe = fs::path(dir) / ".score-probe";
  auto t0 = std::chrono::steady_clock::now();
  {
    std::ofstream out(probe, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
  }
  if (FILE* f = std::fopen(probe.c_str(), "rb")) {
    ::fsync(fileno(f));
    std::fclose(f);
  }
  auto t1 = std::chrono::steady_clock::now();
  (void)sha256_hex(data);
  auto t2 = std::chrono::steady_clock::now();
  std::error_code ec;
  fs::remove(probe, ec);
  const double slowest =
      std::max(std::chrono::duration<double>(t1 - t0).count(), std::chrono::duration<double>(t2 - t1).count());
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(32.0 / std::max(slowest, 1e-6)));
}

// The signature headers of a request.
std::vector<std::string> signed_headers(const WireSignature& s) {
  return {"Content-Type: application/json", "X-Tseeder-Agent: " + s.agent, "X-Tseeder-Timestamp: " + s.timestamp,
          "X-Tseeder-Nonce: " + s.nonce, "X-Tseeder-Signature: " + s.signature};
}

// A signed POST whose reply must be signed with the same secret. Throws Error.
Json post_signed(net::HttpClient& http, const std::string& agent, const std::string& secret, const std::string& path,
                 const Json& body) {
  const std::string text = dump_json(body);
  const auto sig = sign_request(agent, secret, "POST", path, text, wall_ms());
  auto r = http.request("POST", path, text, signed_headers(sig));
  if (r.status != 200) {
    std::string message = r.body;
    auto j = Json::parse(r.body, nullptr, false);
    if (j.is_object() && j.contains("error")) message = j["error"].value("message", r.body);
    throw Error(r.status == 401 ? Errc::unauthenticated : Errc::unavailable,
                "controller answered " + std::to_string(r.status) + " to " + path + ": " + message);
  }
  auto it = r.headers.find("x-tseeder-signature");
  if (it == r.headers.end() || it->second != reply_signature(secret, path, sig, r.body))
    throw Error(Errc::unauthenticated, "the reply to " + path + " is not signed by this agent's controller",
                "check fleet.controller_url");
  auto j = Json::parse(r.body, nullptr, false);
  if (!j.is_object()) throw Error(Errc::unavailable, "the controller's reply to " + path + " is not JSON");
  return j;
}
}  // namespace

Agent::Agent(boost::asio::io_context& io, const config::Config& cfg, plugin::PluginHost& plugins,
             storage::StorageBackend& storage, jobs::Pipeline& pipeline, Log log)
    : io_(io),
      cfg_(cfg),
      plugins_(plugins),
      storage_(storage),
      pipeline_(pipeline),
      log_(std::move(log)),
      runner_(io, cfg.data_dir + "/downloads", static_cast<std::size_t>(cfg.jobs_max_active)),
      boot_id_(random_hex_id(16)) {}

Agent::~Agent() {
  stop();
}

Json Agent::capabilities() {
  const std::uint64_t free = free_bytes(cfg_.data_dir + "/downloads").value_or(0);
  Json engines = Json::array();
  for (const auto* e : plugins_.engines()) engines.push_back(e->name());
  Json scanners = Json::array();
  if (plugins_.scanner()) scanners.push_back(plugins_.scanner()->name());
  return {{"cores", std::max(1u, std::thread::hardware_concurrency())},
          {"memoryBytes", static_cast<std::uint64_t>(::sysconf(_SC_PHYS_PAGES)) * ::sysconf(_SC_PAGESIZE)},
          {"freeDiskBytes", free},
          {"engines", engines},
          {"scanners", scanners},
          {"maxJobs", cfg_.jobs_max_active},
          {"score", score_},
          {"version", TSEEDER_VERSION}};
}

AgentCredential Agent::join() {
  // Runs of an earlier start are gone with it; the controller hands their jobs out again.
  for (const auto* dir : {"/downloads", "/torrents"}) {
    fs::remove_all(cfg_.data_dir + dir);
    fs::create_directories(cfg_.data_dir + dir);
  }
  score_ = measure_score(cfg_.data_dir + "/downloads");
  const std::string path = cfg_.data_dir + "/secrets/agent.json";
  if (auto kept = read_secret_file(path)) {
    try {
      const auto j = Json::parse(*kept);
      cred_ = {j.at("agentId").get<std::string>(), j.at("secret").get<std::string>()};
    } catch (const Json::exception&) {
      throw Error(Errc::config, path + " is not an agent credential", "remove it and join again with a new token");
    }
    return cred_;
  }
  if (cfg_.fleet_join_token.empty())
    throw Error(Errc::config, "this agent has not joined a controller and fleet.join_token is empty",
                "make a token on the controller with `tseeder admin fleet token` and set fleet.join_token "
                "(or TSEEDER_JOIN_TOKEN)",
                "fleet.join_token");
  net::HttpClient http(net::Endpoint{cfg_.fleet_controller_url, "", "", 30, ""});
  const Json body{{"token", cfg_.fleet_join_token},
                  {"name", cfg_.fleet_agent_name.empty() ? host_name() : cfg_.fleet_agent_name},
                  {"bootId", boot_id_},
                  {"capabilities", capabilities()}};
  // A registration is signed with the join token itself: the agent has no secret of its own yet.
  auto reply = post_signed(http, "join", cfg_.fleet_join_token, "/fleet/v1/register", body);
  cred_ = decode_message("registered", [&] {
    return AgentCredential{reply.at("agentId").get<std::string>(), reply.at("secret").get<std::string>()};
  });
  write_secret_file(
      path, dump_json(Json{
                {"agentId", cred_.agent_id}, {"secret", cred_.secret}, {"controller", cfg_.fleet_controller_url}}) +
                "\n");
  return cred_;
}

void Agent::start() {
  wire_ = std::jthread([this](std::stop_token stop) { wire_loop(stop); });
}

void Agent::stop() {
  if (wire_.joinable()) {
    wire_.request_stop();
    wake_.notify_all();
    wire_.join();
  }
  runner_.stop_all();
}

Json Agent::heartbeat_body() {
  Json body{{"bootId", boot_id_}, {"capabilities", capabilities()}};
  std::lock_guard lock(mu_);
  body["active"] = active_;
  body["jobs"] = listing_;
  return body;
}

void Agent::wire_loop(std::stop_token stop) {
  core::name_this_thread("fleet-wire");
  net::HttpClient http(net::Endpoint{cfg_.fleet_controller_url, "", "", 30, ""});
  auto call = [&](const std::string& path, const Json& body) {
    return post_signed(http, cred_.agent_id, cred_.secret, path, body);
  };
  bool greeted = false;  // the controller hears of a new start before any event of it
  std::int64_t next_heartbeat = 0;
  std::string last_error;
  while (!stop.stop_requested()) {
    try {
      if (!greeted || steady_ms() >= next_heartbeat) {
        call("/fleet/v1/heartbeat", heartbeat_body());
        greeted = true;
        next_heartbeat = steady_ms() + kHeartbeatMs;
      }
      Json batch = Json::array();
      {
        std::lock_guard lock(mu_);
        std::size_t bytes = 0;
        for (std::size_t i = 0; i < outbox_.size() && i < kBatch && bytes < kBatchBytes; ++i) {
          batch.push_back(to_json(outbox_[i]));
          bytes += dump_json(batch.back()).size();
        }
      }
      if (!batch.empty()) {
        const auto applied = call("/fleet/v1/events", {{"events", batch}}).at("applied").get<std::int64_t>();
        std::lock_guard lock(mu_);
        while (!outbox_.empty() && outbox_.front().seq <= applied) outbox_.pop_front();
      }
      auto work = call("/fleet/v1/work", Json::object());
      for (const auto& c : work.at("commands")) boost::asio::post(io_, [this, c] { run_command(c); });
      if (!last_error.empty()) log_(false, "controller reachable again");
      last_error.clear();
    } catch (const std::exception& e) {
      // The controller may be restarting: keep the events and try again.
      if (last_error != e.what()) log_(true, e.what());
      last_error = e.what();
    }
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, stop, kPoll, [this] { return urgent_; });
    urgent_ = false;
  }
}

void Agent::run_command(const Json& c) {
  try {
    const auto type = c.at("type").get<std::string>();
    if (type == "assign" || type == "configure") {
      assign(assignment_from(c.at("assignment")));
    } else if (type == "stop") {
      const JobId id{c.at("jobId").get<std::string>()};
      auto it = runs_.find(id);
      if (it != runs_.end() && it->second.assignment.token == c.at("token").get<std::string>()) drop(id);
    }
  } catch (const std::exception& e) {
    log_(true, std::string("bad command from the controller: ") + e.what());
  }
}

void Agent::assign(const Assignment& a) {
  if (auto it = runs_.find(a.job); it != runs_.end()) {
    if (it->second.assignment.token == a.token) {  // changed settings
      it->second.assignment = a;
      if (!it->second.finishing) runner_.configure(a.job, a.settings);
      update_listing();
      return;
    }
    // The same job again under a new assignment: its files stay, so the engine resumes.
    runner_.stop(a.job);
    pipeline_.stop(a.job);
    runs_.erase(it);
  }
  jobs::Job job;
  job.id = a.job;
  job.user_id = a.owner;
  job.source_kind = a.source_kind;
  job.source = a.source;
  job.infohash = a.infohash;
  job.name = a.name;
  runs_[a.job] = Run{a, std::nullopt, false, {}, false};
  update_listing();
  try {
    if (a.source_kind == "torrent") {
      auto bytes = decode_base64(a.source);
      if (!bytes) throw Error(Errc::invalid_argument, "the assignment's .torrent is not base64");
      job.source = fs::absolute(torrent_path(a.job)).string();
      std::ofstream out(job.source, std::ios::binary | std::ios::trunc);
      out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
      if (!out.flush()) throw Error(Errc::io, "cannot write " + job.source);
    }
    plugin::Engine* engine = plugins_.find_engine(a.engine);
    if (!engine) throw Error(Errc::unsupported, "engine " + a.engine + " is not loaded on this agent");
    runner_.start(job, *engine, a.settings, *this);
  } catch (const Error& e) {
    on_failed(a.job, e.message(), true);
  }
}

void Agent::drop(const JobId& id) {
  runner_.stop(id);
  pipeline_.stop(id);
  std::error_code ec;
  fs::remove_all(work_dir(id), ec);
  fs::remove(torrent_path(id), ec);
  runs_.erase(id);
  update_listing();
}

void Agent::update_listing() {
  Json list = Json::array();
  for (const auto& [id, run] : runs_)
    list.push_back({{"jobId", id.value}, {"token", run.assignment.token}, {"version", run.assignment.version}});
  std::lock_guard lock(mu_);
  listing_ = std::move(list);
  active_ = static_cast<std::int64_t>(runner_.active());
}

void Agent::emit(const JobId& id, const std::string& type, Json data) {
  auto it = runs_.find(id);
  if (it == runs_.end()) return;
  std::lock_guard lock(mu_);
  // Only the latest progress matters: a controller that was away gets one per job, not a backlog.
  if (type == "progress")
    std::erase_if(outbox_, [&](const WireEvent& e) { return e.type == "progress" && e.job == id; });
  else
    urgent_ = true;
  outbox_.push_back({next_seq_++, id, it->second.assignment.token, type, std::move(data)});
  if (urgent_) wake_.notify_all();
}

void Agent::on_metadata(const JobId& id, const std::string& name, std::optional<std::uint64_t> total,
                        const std::vector<plugin::EngineFile>& files) {
  if (auto it = runs_.find(id); it != runs_.end() && !name.empty()) it->second.name = name;
  emit(id, "metadata", {{"name", name}, {"total", or_null(total)}, {"files", to_json(files)}});
}

void Agent::on_progress(const JobId& id, const plugin::EngineProgress& p) {
  emit(id, "progress", to_json(p));
}

void Agent::on_content_ids(const JobId& id, const std::vector<std::string>& ids, std::optional<bool> is_private) {
  emit(id, "content_ids", {{"ids", ids}, {"private", or_null(is_private)}});
}

void Agent::on_notice(const JobId& id, const std::string& kind, const std::string& message) {
  emit(id, "notice", {{"kind", kind}, {"message", message}});
}

void Agent::on_failed(const JobId& id, const std::string& reason, bool retryable) {
  emit(id, "failed", {{"reason", reason}, {"retryable", retryable}});
  drop(id);
}

void Agent::on_internal_error(const JobId& id, const std::string& what) noexcept {
  try {
    log_(true, "job " + id.value + ": internal error: " + what);
    on_failed(id, "internal error on the agent: " + what, false);
  } catch (...) {
    // The controller takes the job back when the agent's heartbeat no longer lists it.
  }
}

void Agent::on_seeding_done(const JobId& id, std::uint64_t uploaded, std::uint64_t seconds) {
  emit(id, "seeding_done", {{"uploaded", uploaded}, {"seconds", seconds}});
  runner_.stop(id);
  end_if_done(id);
}

void Agent::on_completed(const JobId& id, const std::vector<plugin::EngineFile>& files, bool seeding) {
  auto it = runs_.find(id);
  if (it == runs_.end()) return;
  runner_.downloaded(id, seeding);
  emit(id, "completed", {{"files", to_json(files)}, {"seeding", seeding}});
  it->second.finishing = true;
  for (const auto& f : files) it->second.files.push_back({f.path, f.size_bytes, f.name});
  update_listing();
  if (it->second.assignment.scan)
    scan(id);
  else
    upload(id, "skipped");
}

void Agent::scan(const JobId& id) {
  const plugin::Scanner* scanner = plugins_.scanner();
  if (!scanner && !std::exchange(told_unscanned_, true))
    log_(true,
         "the controller asks for virus scans but no scanner plugin is loaded here: "
         "downloads are stored unscanned (scan_status error); configure scanner_clamav");
  const auto& run = runs_.at(id);
  pipeline_.run(
      id,
      [this, id, scanner, dir = fs::path(work_dir(id)),
       files = run.files](std::stop_token stop) -> std::function<void()> {
        auto outcome = jobs::scan_download(scanner, dir, files, stop);
        return [this, id, outcome] {
          if (!runs_.contains(id)) return;
          emit(id, "scanned", to_json(outcome));
          using K = jobs::ScanOutcome::Kind;
          if (outcome.kind == K::infected || outcome.kind == K::bad_file) {
            emit(id, "ended", Json::object());
            drop(id);  // nothing of it is kept
            return;
          }
          upload(id, outcome.kind == K::clean ? "clean" : "error");
        };
      },
      [this, id](const std::string& what) { on_internal_error(id, what); });
}

void Agent::upload(const JobId& id, const std::string& scan_status) {
  const auto& run = runs_.at(id);
  jobs::Job job;
  job.id = id;
  job.user_id = run.assignment.owner;
  job.source_kind = run.assignment.source_kind;
  job.infohash = run.assignment.infohash;
  job.name = run.name ? run.name : run.assignment.name;
  job.scan_status = scan_status;
  pipeline_.run(
      id,
      [this, job, dir = fs::path(work_dir(id)), files = run.files](std::stop_token stop) -> std::function<void()> {
        auto outcome = jobs::store_download(storage_, job, dir, files, stop);
        return [this, id = job.id, outcome = std::move(outcome)] {
          auto it = runs_.find(id);
          if (it == runs_.end()) return;
          emit(id, "stored", to_json(outcome));
          if (!outcome.ok) return drop(id);  // the controller decides whether to try again
          it->second.stored = true;
          end_if_done(id);
        };
      },
      [this, id](const std::string& what) { on_internal_error(id, what); });
}

void Agent::end_if_done(const JobId& id) {
  auto it = runs_.find(id);
  if (it == runs_.end() || !it->second.stored || runner_.running(id)) return;
  emit(id, "ended", Json::object());
  drop(id);
}

}  // namespace tseeder::fleet
