// Job options and file selections as typed on the command line (add, set, select).
#pragma once
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "core/json_util.h"

namespace tseeder::cli {

struct OptionFlags {
  std::string download_limit;  // "2MiB", "0" = unlimited; empty = unchanged
  std::string upload_limit;
  std::optional<bool> sequential;
};

void add_option_flags(CLI::App* cmd, OptionFlags& flags);
// Puts the given flags into a request body as downloadLimit/uploadLimit/sequential.
// Throws Error(Errc::invalid_argument) for a malformed rate.
void options_body(const OptionFlags& flags, Json& body);
// "0,3-5" → [0,3,4,5]; throws Error(Errc::invalid_argument) for anything else.
Json index_list_arg(const std::string& text);
std::string options_text(const Json& options);
void print_files(const Json& files);

}  // namespace tseeder::cli
