#include "job_options_args.h"

#include "core/error.h"
#include "core/index_list.h"
#include "core/units.h"
#include "output.h"

namespace tseeder::cli {
namespace {

constexpr std::uint32_t kMaxIndex = 10'000'000;
constexpr std::size_t kMaxIndexes = 100'000;

void put_rate(const std::string& text, const char* flag, const char* field, Json& body) {
  if (text.empty()) return;
  auto n = parse_byte_size(text);
  if (!n)
    throw Error(Errc::invalid_argument, std::string(flag) + ": '" + text + "' is not a rate",
                "bytes per second, e.g. 500k, 2MiB, 0 for no limit");
  body[field] = *n;
}

std::string rate_text(const Json& v) {
  const auto n = v.is_number_unsigned() ? v.get<std::uint64_t>() : 0;
  return n ? format_rate(n) : "unlimited";
}

}  // namespace

void add_option_flags(CLI::App* cmd, OptionFlags& flags) {
  cmd->add_option("--download-limit", flags.download_limit, "download rate limit for this job: 2MiB, 500k; 0 = none");
  cmd->add_option("--upload-limit", flags.upload_limit, "upload rate limit for this job; 0 = none");
  cmd->add_flag(
      "--sequential,!--no-sequential", [&flags](std::int64_t n) { flags.sequential = n > 0; },
      "fetch pieces in order, for playing while downloading");
}

void options_body(const OptionFlags& flags, Json& body) {
  put_rate(flags.download_limit, "--download-limit", "downloadLimit", body);
  put_rate(flags.upload_limit, "--upload-limit", "uploadLimit", body);
  if (flags.sequential) body["sequential"] = *flags.sequential;
}

Json index_list_arg(const std::string& text) {
  std::string why;
  auto list = parse_index_list(text, kMaxIndex, kMaxIndexes, why);
  if (!list) throw Error(Errc::invalid_argument, "file list: " + why, "e.g. 0,3-5 (see `tseeder files ID`)");
  return Json(*list);
}

std::string options_text(const Json& o) {
  return std::string(o.value("sequential", false) ? "sequential, " : "") + "down " +
         rate_text(o.value("downloadLimit", Json(0))) + ", up " + rate_text(o.value("uploadLimit", Json(0)));
}

void print_files(const Json& files) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& f : files)
    rows.push_back({f["index"].is_number() ? std::to_string(f["index"].get<std::uint64_t>()) : "-",
                    f.value("priority", "normal"), format_bytes(f.value("size", 0ULL)),
                    f["id"].is_number() ? "stored" : "-", f.value("path", "")});
  print_table({"INDEX", "PRIORITY", "SIZE", "STORED", "PATH"}, rows);
}

}  // namespace tseeder::cli
