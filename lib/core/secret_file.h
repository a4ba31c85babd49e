// Secrets the daemon makes for itself on first start (link signing keys), kept in files of
// mode 0600 under DATA_DIR/secrets (0700). Never in config defaults, never logged.
#pragma once
#include <optional>
#include <string>

namespace tseeder {

// Reads the secret at `path`, or creates it with `bytes` random bytes (stored as base64url).
// Throws Error(config) when the file is readable by group or others, or is too short.
std::string load_or_create_secret(const std::string& path, std::size_t bytes = 32);
// A private file's content, nullopt when there is none; Error(config) when others may read it.
std::optional<std::string> read_secret_file(const std::string& path);
// Creates a private file (0600, directory 0700); Error(conflict) when it exists.
void write_secret_file(const std::string& path, const std::string& content);

}  // namespace tseeder
