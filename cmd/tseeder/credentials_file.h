// The CLI's saved login: ~/.config/tseeder/credentials.json (mode 0600) holding the daemon URL
// and the API key `tseeder login` made.
#pragma once
#include <optional>
#include <string>

namespace tseeder::cli {

struct SavedLogin {
  std::string url;
  std::string api_key;
  std::string key_id;
};

std::string credentials_path();  // $XDG_CONFIG_HOME/tseeder/… or ~/.config/tseeder/…
std::optional<SavedLogin> load_login();
void save_login(const SavedLogin& login);  // writes 0600 in a 0700 directory
bool forget_login();

// A password typed on the terminal without echo, or one line of standard input when it is not
// a terminal (scripts: `echo "$PW" | tseeder login …`).
std::string read_password(const std::string& prompt);

}  // namespace tseeder::cli
