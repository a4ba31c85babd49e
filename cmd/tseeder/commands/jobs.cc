// tseeder add | ls | show | files | pause | resume | cancel | retry | rm
#include <array>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>

#include "commands/commands.h"
#include "core/base64.h"
#include "core/error.h"
#include "core/units.h"
#include "job_options_args.h"
#include "output.h"

namespace tseeder::cli {
namespace {

std::string name_of(const Json& job) {
  if (job.contains("name") && job["name"].is_string()) return job["name"].get<std::string>();
  return job.value("source", "");
}

// A .torrent job's source is where the daemon keeps the file: of no use to the user.
std::string source_text(const Json& job) {
  return job.value("sourceKind", "") == "torrent" ? std::string("an uploaded .torrent file") : job.value("source", "");
}

std::string size_of(const Json& p) {
  const Json total = p.value("bytesTotal", Json());
  return total.is_number() ? format_bytes(total.get<std::uint64_t>()) : "-";
}

// A torrent's share ratio, "0.42"; "-" for a URL job or before any byte came.
std::string ratio_text(const Json& job) {
  const Json ratio = job.value("progress", Json::object()).value("ratio", Json());
  if (!is_swarm_job(job) || !ratio.is_number()) return "-";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", ratio.get<double>());
  return buf;
}

// One line per job, the name cut to fit the terminal, and a line of totals.
void print_job_table(const Json& jobs, bool colour) {
  TableLook look{terminal_columns(), 8, {}};
  std::vector<std::vector<std::string>> rows;
  std::uint64_t size = 0, down = 0, up = 0;
  for (const auto& j : jobs) {
    // Read with value(): operator[] on a const JSON object with the key missing is undefined.
    const Json p = j.value("progress", Json::object());
    const Json eta_s = p.value("eta", Json()), total = p.value("bytesTotal", Json());
    const std::int64_t eta = eta_s.is_number() ? eta_s.get<std::int64_t>() : -1;
    const std::string status = j.value("status", "");
    const bool moving = status == "downloading" || status == "metadata_fetch";
    rows.push_back({j.value("id", ""), status, size_of(p), percent_text(p), format_rate(p.value("downloadSpeed", 0ULL)),
                    format_rate(p.value("uploadSpeed", 0ULL)), moving ? format_duration(eta) : "-", ratio_text(j),
                    name_of(j)});
    if (colour) look.colours.push_back({"", status_colour(status)});
    size += total.is_number() ? total.get<std::uint64_t>() : 0;
    down += p.value("downloadSpeed", 0ULL);
    up += p.value("uploadSpeed", 0ULL);
  }
  print_table({"ID", "STATUS", "SIZE", "DONE", "DOWN", "UP", "ETA", "RATIO", "NAME"}, rows, look);
  std::cout << "total: " << rows.size() << (rows.size() == 1 ? " job, " : " jobs, ") << format_bytes(size) << ", down "
            << format_rate(down) << ", up " << format_rate(up) << "\n";
}

// A magnet link, a local .torrent file (sent as base64) or a URL.
Json job_request(const std::string& source) {
  if (source.rfind("magnet:", 0) == 0) return Json{{"magnet", source}};
  if (source.find("://") == std::string::npos) {
    std::ifstream in(source, std::ios::binary);
    if (!in)
      throw Error(Errc::invalid_argument, "cannot read " + source, "give a URL, a magnet link or a .torrent file");
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return Json{{"torrent", encode_base64(bytes)}};
  }
  return Json{{"url", source}};
}

}  // namespace

void print_job(Context& ctx, const Json& job, bool live) {
  std::cout << "id:       " << job.value("id", "") << "\n"
            << "status:   " << job.value("status", "") << "\n"
            << "name:     " << name_of(job) << "\n"
            << "source:   " << source_text(job) << "\n";
  if (const Json hash = job.value("infohash", Json()); hash.is_string())
    std::cout << "infohash: " << hash.get<std::string>() << "\n";
  std::cout << "engine:   " << (job["engine"].is_string() ? job["engine"].get<std::string>() : "-") << "\n"
            << "progress: " << progress_text(job["progress"], is_swarm_job(job)) << "\n"
            << "created:  " << local_time_text(job["createdAt"]) << "\n";
  if (job.contains("options")) std::cout << "options:  " << options_text(job["options"]) << "\n";
  if (job.value("checksum", Json()).is_string())
    std::cout << "checksum: " << job["checksum"].get<std::string>() << "\n";
  if (job.value("scanStatus", Json()).is_string()) {
    std::cout << "scan:     " << job["scanStatus"].get<std::string>();
    if (job.value("scanDetail", Json()).is_string()) std::cout << " (" << job["scanDetail"].get<std::string>() << ")";
    std::cout << "\n";
  }
  if (job["error"].is_string()) std::cout << "error:    " << job["error"].get<std::string>() << "\n";
  if (const Json retry = job.value("retry", Json()); retry.is_object()) {
    const Json last = retry.value("lastError", Json());
    std::cout << "retry:    attempt " << retry.value("attempt", 0) + 1 << " at "
              << local_time_text(retry.value("nextAt", Json()))
              << (last.is_string() ? "; " + last.get<std::string>() : "") << "\n";
  }
  for (const auto& n : job.value("notices", Json::array()))
    std::cout << "notice:   " << local_time_text(n.value("at", Json())) << "  " << n.value("message", "") << "\n";
  const std::string status = job.value("status", "");
  if (live && is_swarm_job(job) && (status == "downloading" || status == "metadata_fetch" || status == "completed")) {
    try {  // live from the engine while it runs; a job that stopped meanwhile has none
      const Json res = ctx.call("GET", "/jobs/" + job.value("id", "") + "/trackers");
      std::cout << "trackers:\n";
      print_trackers(res.value("trackers", Json::array()));
    } catch (const Error& e) {
      if (e.code() != Errc::conflict) throw;
    }
  }
}

void add_jobs_commands(CLI::App& app, Context& ctx) {
  {
    auto* cmd = app.add_subcommand("add", "add a download: an http(s):// URL, a magnet link or a .torrent file");
    auto source = std::make_shared<std::string>();
    auto wait = std::make_shared<bool>(false);
    auto files = std::make_shared<std::string>();
    auto opts = std::make_shared<OptionFlags>();
    auto digests = std::make_shared<std::array<std::string, 3>>();
    cmd->add_option("source", *source, "URL, magnet:?… link, or path of a .torrent file")->required();
    cmd->add_option("--sha256", (*digests)[0], "a URL's expected SHA-256 (hex): the job fails on a mismatch");
    cmd->add_option("--sha1", (*digests)[1], "a URL's expected SHA-1 (hex)");
    cmd->add_option("--md5", (*digests)[2], "a URL's expected MD5 (hex)");
    cmd->add_flag("--wait,-w", *wait, "follow progress until the job ends; exit 5 if it fails");
    cmd->add_option("--files", *files, "fetch only these files, by index: 0,3-5");
    add_option_flags(cmd, *opts);
    cmd->callback([&ctx, source, wait, files, opts, digests] {
      Json body = job_request(*source);
      for (std::size_t i = 0; i < digests->size(); ++i)
        if (!(*digests)[i].empty()) body[std::array{"sha256", "sha1", "md5"}[i]] = (*digests)[i];
      if (!files->empty()) body["files"] = index_list_arg(*files);
      options_body(*opts, body);
      auto job = ctx.call("POST", "/jobs", body);
      const std::string id = job.value("id", "");
      if (ctx.json && !*wait) print_json(job);
      if (!ctx.json) std::cout << "added " << id << " (" << job.value("status", "") << ")\n";
      if (*wait) {
        ctx.exit_status = follow_job(ctx, id, ctx.json);
        if (ctx.json) print_json(ctx.call("GET", ctx.job_path(id)));
      }
    });
  }
  {
    auto* cmd = app.add_subcommand("ls", "list jobs");
    auto status = std::make_shared<std::string>();
    auto limit = std::make_shared<int>(50);
    auto offset = std::make_shared<int>(0);
    auto after = std::make_shared<std::string>();
    cmd->add_option("--status", *status, "only jobs in this state");
    cmd->add_option("--limit", *limit, "at most this many (1-500)")->check(CLI::Range(1, 500));
    cmd->add_option("--offset", *offset, "skip this many (up to 1000)")->check(CLI::Range(0, 1000));
    cmd->add_option("--after", *after, "the page after this position (ls prints it when more follow)")
        ->excludes("--offset");
    cmd->callback([&ctx, status, limit, offset, after] {
      std::string path = "/jobs?limit=" + std::to_string(*limit);
      path += after->empty() ? "&offset=" + std::to_string(*offset) : "&after=" + url_encode(*after);
      if (!status->empty()) path += "&status=" + url_encode(*status);
      auto res = ctx.call("GET", path);
      if (ctx.json) return print_json(res);
      print_job_table(res["jobs"], colour_wanted(ctx.no_color));
      const auto next = res.value("next", Json()).is_string() ? res["next"].get<std::string>() : std::string();
      if (const auto at = next.find("after="); at != std::string::npos)
        std::cout << "(" << res["jobs"].size() << " of " << res.value("total", 0) << "; more: tseeder ls"
                  << (status->empty() ? "" : " --status " + *status) << " --after "
                  << next.substr(at + 6, next.find('&', at) - at - 6) << ")\n";
    });
  }
  add_job_command(app, "show", "show one job", [&ctx](const std::string& id) {
    auto job = ctx.call("GET", ctx.job_path(id));
    ctx.json ? print_json(job) : print_job(ctx, job, true);
  });
  add_job_command(app, "files", "list a job's files: index, priority, size, whether stored",
                  [&ctx](const std::string& id) {
                    const Json files = ctx.call_all(ctx.job_path(id, "/files"), "files");
                    if (ctx.json) return print_json(Json{{"files", files}});
                    print_files(files);
                  });
  add_job_action_commands(app, ctx);
}

void add_job_command(CLI::App& app, const std::string& name, const std::string& help,
                     std::function<void(const std::string&)> run) {
  auto* cmd = app.add_subcommand(name, help);
  auto id = std::make_shared<std::string>();
  cmd->add_option("id", *id, "job id")->required();
  cmd->callback([id, run = std::move(run)] { run(*id); });
}

}  // namespace tseeder::cli
