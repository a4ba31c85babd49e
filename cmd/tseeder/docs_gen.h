// The man page and shell completions are generated from the CLI11 tree, so they cannot drift
// from the commands. `tseeder __generate man|bash|zsh|fish` prints them; tests compare the
// checked-in copies with fresh output.
#pragma once
#include <CLI/CLI.hpp>
#include <string>

namespace tseeder::cli {

void add_generate_command(CLI::App& app);

}  // namespace tseeder::cli
