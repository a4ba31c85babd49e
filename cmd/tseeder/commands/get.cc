// tseeder get ID [-o DIR | --zip FILE] — fetch a job's stored files, one by one or as one zip;
// tseeder url ID [FILE] — signed links.
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

Json signed_link(Context& ctx, const std::string& job_id, std::int64_t file_id, std::int64_t expires_in = 0) {
  std::string path = ctx.job_path(job_id, "/files/" + std::to_string(file_id) + "/url");
  if (expires_in > 0) path += "?expiresIn=" + std::to_string(expires_in);
  return ctx.call("GET", path);
}

// Files with an id are stored; skipped or not yet stored files have none.
Json stored_files(Context& ctx, const std::string& job_id) {
  Json files = Json::array();
  for (const auto& f : ctx.call_all(ctx.job_path(job_id, "/files"), "files"))
    if (f["id"].is_number()) files.push_back(f);
  if (files.empty()) throw Error(Errc::not_found, "job " + job_id + " has no stored files yet");
  return files;
}

// Downloads one file to `dest` through a .part file, so an interrupted copy never looks whole.
// It goes through a signed link, as any other client would.
void fetch_file(Context& ctx, const std::string& job_id, const Json& file, const fs::path& dest, bool tty) {
  const auto size = file.value("size", 0ULL);
  fs::create_directories(dest.parent_path());
  fs::path part = dest;
  part += ".part";
  std::ofstream out(part, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(Errc::io, "cannot write " + part.string());
  std::uint64_t got = 0;
  int last_pct = -1;
  const std::string url = signed_link(ctx, job_id, file.value("id", 0))["url"].get<std::string>();
  auto on_data = [&](std::string_view chunk) {
    out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    got += chunk.size();
    int pct = size ? static_cast<int>(got * 100 / size) : 100;
    if (tty && pct != last_pct) {
      std::cout << "\r\033[K" << progress_bar(pct / 100.0, 30) << " " << pct << "%  " << dest.filename().string()
                << std::flush;
      last_pct = pct;
    }
    return static_cast<bool>(out);
  };
  // The daemon's link is fetched over the connection already open (socket or TCP); where it
  // sends the client on (object storage, presigned) is fetched from that host, without this
  // user's credentials.
  auto path_of = [](const std::string& u) {
    const auto scheme_end = u.find("://");
    const auto start = scheme_end == std::string::npos ? std::string::npos : u.find('/', scheme_end + 3);
    if (start == std::string::npos) throw Error(Errc::internal, "download link of an unknown form: " + u);
    return start;
  };
  const auto path_start = path_of(url);
  net::HttpResponse res = ctx.client().stream(url.substr(path_start), {}, on_data);
  if (res.status == 302 || res.status == 303 || res.status == 307) {
    const auto location = res.headers.find("location");
    if (location == res.headers.end()) throw Error(Errc::internal, "the daemon redirected a download nowhere");
    out.close();
    out.open(part, std::ios::binary | std::ios::trunc);  // nothing of the redirect answer is kept
    got = 0;
    const std::string& to = location->second;
    net::HttpClient direct(net::Endpoint{to.substr(0, path_of(to)), "", "", 0, ""});
    res = direct.stream(to.substr(path_of(to)), {}, on_data);
  }
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

// Streams the job as one zip (made by the daemon) to `target`, or to standard output for "-".
// A file goes through a .part file; a short transfer is an error and leaves nothing.
std::uint64_t fetch_zip(Context& ctx, const std::string& job_id, const std::string& target, bool tty) {
  const bool to_stdout = target == "-";
  const std::string retry_hint = "try again; `tseeder get " + job_id + "` fetches the files one by one";
  fs::path part = target + ".part";
  std::ofstream file;
  if (!to_stdout) {
    file.open(part, std::ios::binary | std::ios::trunc);
    if (!file) throw Error(Errc::io, "cannot write " + part.string());
  }
  std::ostream& out = to_stdout ? std::cout : file;
  std::uint64_t got = 0;
  net::HttpResponse res;
  try {
    res = ctx.client().stream(ctx.job_path(job_id, "/zip"), {}, [&](std::string_view chunk) {
      out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      got += chunk.size();
      if (tty) std::cout << "\r\033[K" << format_bytes(got) << "  " << target << std::flush;
      return static_cast<bool>(out);
    });
  } catch (const Error& e) {
    if (!to_stdout) fs::remove(part);
    if (got == 0) throw;
    throw Error(Errc::io, "the zip of job " + job_id + " stopped at " + std::to_string(got) + " bytes: " + e.message(),
                retry_hint);
  }
  if (tty) std::cout << "\r\033[K";
  out.flush();
  if (!to_stdout) file.close();
  const auto length = res.headers.find("content-length");
  const bool whole = res.status < 400 && out && length != res.headers.end() && length->second == std::to_string(got);
  if (!whole && !to_stdout) fs::remove(part);
  if (res.status >= 400) throw_api_error(res);
  if (!whole)
    throw Error(Errc::io, "the zip of job " + job_id + " stopped at " + std::to_string(got) + " bytes", retry_hint);
  if (!to_stdout) fs::rename(part, target);
  return got;
}

}  // namespace

void add_get_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("get", "download a job's files");
  auto id = std::make_shared<std::string>();
  auto dir = std::make_shared<std::string>(".");
  cmd->add_option("id", *id, "job id")->required();
  auto zip = std::make_shared<std::string>();
  auto* output = cmd->add_option("-o,--output", *dir, "directory to put the files in (default: current)");
  cmd->add_option("--zip", *zip, "fetch every stored file as one zip into FILE ('-': standard output)")
      ->excludes(output);
  cmd->callback([&ctx, id, dir, zip] {
    if (!zip->empty()) {
      const bool tty = stdout_is_tty() && *zip != "-" && !ctx.json;
      const auto size = fetch_zip(ctx, *id, *zip, tty);
      if (ctx.json)
        print_json(Json{{"zip", *zip}, {"size", size}});
      else if (*zip != "-")
        std::cout << *zip << "  " << format_bytes(size) << "\n";
      return;
    }
    const Json files = stored_files(ctx, *id);
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

  auto* url = app.add_subcommand(
      "url", "print expiring download links (anyone with a link can fetch the file until it expires)");
  auto url_id = std::make_shared<std::string>();
  auto which = std::make_shared<std::string>();
  auto expires = std::make_shared<std::int64_t>(0);
  url->add_option("id", *url_id, "job id")->required();
  url->add_option("file", *which, "file id or path (default: every stored file)");
  url->add_option("--expires", *expires, "seconds the links work (default: the daemon's, 1 hour)")
      ->check(CLI::Range(1, 7 * 24 * 3600));
  url->callback([&ctx, url_id, which, expires] {
    Json out = Json::array();
    for (const auto& f : stored_files(ctx, *url_id)) {
      if (!which->empty() && *which != std::to_string(f.value("id", 0)) && *which != f.value("path", "")) continue;
      Json link = signed_link(ctx, *url_id, f.value("id", 0), *expires);
      if (!ctx.json) std::cout << link["url"].get<std::string>() << "  " << f.value("path", "") << "\n";
      out.push_back(link);
    }
    if (out.empty()) throw Error(Errc::not_found, "job " + *url_id + " has no stored file " + *which);
    if (ctx.json) print_json(Json{{"links", out}});
  });
}

}  // namespace tseeder::cli
