#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "config/config.h"
#include "config/config_schema.h"
#include "core/error.h"
#include "core/redact.h"

#ifndef TSEEDER_DEFAULT_PLUGIN_DIR
#define TSEEDER_DEFAULT_PLUGIN_DIR "/usr/local/lib/tseeder/plugins"
#endif

namespace tseeder::config {
namespace {

[[noreturn]] void fail(const std::string& source, const std::string& key, int line, const std::string& what) {
  std::string where = line > 0 ? " (line " + std::to_string(line) + ")" : "";
  throw Error(Errc::config, source + ": " + key + where + " " + what, {}, key);
}

void walk(Config& cfg, const YAML::Node& node, const std::string& prefix, const std::string& source) {
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    const std::string path = prefix.empty() ? key : prefix + "." + key;
    const int line = kv.first.Mark().line + 1;
    const YAML::Node& value = kv.second;
    const SchemaRow* row = find_row(path);
    if (!row) {
      if (value.IsMap()) {
        walk(cfg, value, path, source);
        continue;
      }
      fail(source, path, line, "is not a known key; see `tseederd --dump-config` for every key");
    }
    KeyValueText text;
    if (value.IsSequence()) {
      text.is_list = true;
      for (const auto& item : value) {
        if (!item.IsScalar()) fail(source, path, line, "must be a list of plain values");
        text.items.push_back(item.as<std::string>());
      }
    } else if (value.IsScalar()) {
      text.text = value.as<std::string>();
    } else if (value.IsNull()) {
      text.text = "";
    } else {
      fail(source, path, line, "must be a plain value");
    }
    if (auto err = row->apply(cfg, text); !err.empty()) fail(source, path, line, "is invalid: " + err);
  }
}

// Secrets may come from the environment instead of the file (containers, systemd credentials).
void apply_environment(Config& cfg) {
  for (auto [name, member] : {std::pair{"TSEEDER_S3_ACCESS_KEY", &Config::storage_s3_access_key},
                              std::pair{"TSEEDER_S3_SECRET_KEY", &Config::storage_s3_secret_key},
                              std::pair{"TSEEDER_S3_SESSION_TOKEN", &Config::storage_s3_session_token},
                              std::pair{"TSEEDER_JOIN_TOKEN", &Config::fleet_join_token},
                              std::pair{"TSEEDER_SEEDR_EMAIL", &Config::seedr_email},
                              std::pair{"TSEEDER_SEEDR_PASSWORD", &Config::seedr_password}}) {
    const char* v = std::getenv(name);
    if (v && *v) cfg.*member = v;
  }
}

// Keys that only make sense together.
void check_together(const Config& cfg, const std::string& source) {
  if (cfg.role == "agent" && cfg.fleet_controller_url.empty())
    throw Error(Errc::config, source + ": fleet.controller_url is empty but role is agent",
                "set it to the controller's address, e.g. http://10.0.0.1:8420", "fleet.controller_url");
  if (cfg.storage_backend != "s3") return;
  struct Needed {
    const char* key;
    const std::string* value;
    const char* env;  // where else it may come from
  };
  for (const Needed& n : {Needed{"storage.s3.endpoint", &cfg.storage_s3_endpoint, nullptr},
                          Needed{"storage.s3.bucket", &cfg.storage_s3_bucket, nullptr},
                          Needed{"storage.s3.access_key", &cfg.storage_s3_access_key, "TSEEDER_S3_ACCESS_KEY"},
                          Needed{"storage.s3.secret_key", &cfg.storage_s3_secret_key, "TSEEDER_S3_SECRET_KEY"}})
    if (n.value->empty())
      throw Error(Errc::config, source + ": " + n.key + " is empty but storage.backend is s3",
                  n.env ? std::string("set it in the config file or in ") + n.env : "set it in the config file", n.key);
}

}  // namespace

std::string Config::socket_path() const {
  return socket.empty() ? data_dir + "/tseederd.sock" : socket;
}

std::string Config::storage_path() const {
  return storage_local_path.empty() ? data_dir + "/storage" : storage_local_path;
}

std::string Config::public_url() const {
  if (!auth_public_url.empty())
    return auth_public_url.back() == '/' ? auth_public_url.substr(0, auth_public_url.size() - 1) : auth_public_url;
  return "http://" + listen;
}

std::optional<std::string> Config::get_text(const std::string& key) const {
  const SchemaRow* row = find_row(key);
  if (!row) return std::nullopt;
  std::string v = row->show(*this);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  return v;
}

Config load_text(const std::string& yaml_text, const std::string& source_name) {
  Config cfg;
  cfg.plugin_dir = TSEEDER_DEFAULT_PLUGIN_DIR;
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    fail(source_name, "YAML", e.mark.line + 1, "cannot be parsed: " + e.msg);
  }
  if (!root.IsNull()) {
    if (!root.IsMap()) fail(source_name, "top level", 1, "must be a mapping of keys");
    walk(cfg, root, "", source_name);
  }
  apply_environment(cfg);
  check_together(cfg, source_name);
  return cfg;
}

Config load_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(Errc::config, "config: cannot read " + path, "check the path given to --config");
  std::stringstream ss;
  ss << in.rdbuf();
  return load_text(ss.str(), "config " + path);
}

// Each section once, nested by the dots of its keys ("storage.s3.bucket" under storage: and
// s3:), sections and keys in the order they first appear in the schema: valid YAML that loads back.
std::string dump(const Config& cfg) {
  const auto& rows = schema();
  auto parts_of = [](const std::string& path) {
    std::vector<std::string> parts;
    for (std::size_t at = 0;;) {
      const auto dot = path.find('.', at);
      parts.push_back(path.substr(at, dot - at));
      if (dot == std::string::npos) return parts;
      at = dot + 1;
    }
  };
  std::map<std::string, std::size_t> first;  // a section's path → where its first key is
  std::vector<std::vector<std::size_t>> order(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto parts = parts_of(rows[i].path);
    std::string prefix;
    for (std::size_t d = 0; d + 1 < parts.size(); ++d) {
      prefix += (d ? "." : "") + parts[d];
      order[i].push_back(first.emplace(prefix, i).first->second);
    }
    order[i].push_back(i);
  }
  std::vector<std::size_t> sorted(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) sorted[i] = i;
  std::stable_sort(sorted.begin(), sorted.end(), [&](std::size_t a, std::size_t b) { return order[a] < order[b]; });

  std::string out;
  std::vector<std::string> open;  // the sections the last key was in
  for (const std::size_t i : sorted) {
    const auto& row = rows[i];
    auto parts = parts_of(row.path);
    const std::string leaf = parts.back();
    parts.pop_back();
    std::size_t same = 0;
    while (same < open.size() && same < parts.size() && open[same] == parts[same]) ++same;
    open.resize(same);
    for (std::size_t d = same; d < parts.size(); ++d) {
      out += (d == 0 ? "\n" : "") + std::string(2 * d, ' ') + parts[d] + ":\n";
      open.push_back(parts[d]);
    }
    const std::string indent(2 * parts.size(), ' ');
    out += indent + "# " + row.help + "\n";
    out += indent + leaf + ": " + (row.secret ? std::string("\"<redacted>\"") : redact_url_credentials(row.show(cfg))) +
           "\n";
  }
  return out;
}

}  // namespace tseeder::config
