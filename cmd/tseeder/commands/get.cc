// tseeder get ID [-o DIR] — fetch a job's stored files.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "commands/commands.h"
#include "core/error.h"
#include "core/path_safety.h"
#include "core/units.h"
#include "output.h"

namespace tseeder::cli {

namespace fs = std::filesystem;

namespace {

// Downloads one file to `dest` through a .part file, so an interrupted copy never looks whole.
void fetch_file(Context& ctx, const std::string& job_id, const Json& file, const fs::path& dest, bool tty) {
  const auto size = file.value("size", 0ULL);
  fs::create_directories(dest.parent_path());
  fs::path part = dest;
  part += ".part";
  std::ofstream out(part, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(Errc::io, "cannot write " + part.string());
  std::uint64_t got = 0;
  int last_pct = -1;
  auto res = ctx.client().stream(job_path(job_id, "/files/" + std::to_string(file.value("id", 0)) + "/content"), {},
                                 [&](std::string_view chunk) {
                                   out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
                                   got += chunk.size();
                                   int pct = size ? static_cast<int>(got * 100 / size) : 100;
                                   if (tty && pct != last_pct) {
                                     std::cout << "\r\033[K" << progress_bar(pct / 100.0, 30) << " " << pct << "%  "
                                               << dest.filename().string() << std::flush;
                                     last_pct = pct;
                                   }
                                   return static_cast<bool>(out);
                                 });
  out.close();
  if (res.status >= 400) {
    fs::remove(part);
    throw_api_error(res);
  }
  if (!out || got != size) {
    fs::remove(part);
    throw Error(Errc::io, "download of " + dest.string() + " stopped at " + std::to_string(got) + " of " +
                              std::to_string(size) + " bytes");
  }
  fs::rename(part, dest);
  if (tty) std::cout << "\r\033[K";
}

}  // namespace

void add_get_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("get", "download a job's files");
  auto id = std::make_shared<std::string>();
  auto dir = std::make_shared<std::string>(".");
  cmd->add_option("id", *id, "job id")->required();
  cmd->add_option("-o,--output", *dir, "directory to put the files in (default: current)");
  cmd->callback([&ctx, id, dir] {
    Json files = Json::array();
    const Json listed = ctx.call("GET", job_path(*id, "/files"));
    for (const auto& f : listed["files"])
      if (f["id"].is_number()) files.push_back(f);  // skipped or not yet stored files have no id
    if (files.empty()) throw Error(Errc::not_found, "job " + *id + " has no stored files yet");
    const bool tty = stdout_is_tty() && !ctx.json;
    Json done = Json::array();
    for (const auto& f : files) {
      // The path comes from the daemon; it still may not climb out of the chosen directory.
      auto dest = join_inside(*dir, sanitize_relative_path(f.value("path", "")));
      if (!dest) throw Error(Errc::invalid_argument, "file path '" + f.value("path", "") + "' is not usable");
      fetch_file(ctx, *id, f, *dest, tty);
      done.push_back({{"path", dest->string()}, {"size", f.value("size", 0ULL)}});
      if (!ctx.json) std::cout << dest->string() << "  " << format_bytes(f.value("size", 0ULL)) << "\n";
    }
    if (ctx.json) print_json(Json{{"files", done}});
  });
}

}  // namespace tseeder::cli
