#include "daemon_options.h"

#include <CLI/CLI.hpp>

#include "config/config_schema.h"
#include "core/error.h"

namespace tseeder::daemon {

std::optional<int> parse_daemon_options(int argc, char** argv, DaemonOptions& o) {
  CLI::App app{"tseederd — the tseeder download daemon"};
  app.set_version_flag("--version", std::string("tseederd ") + TSEEDER_VERSION);
  app.add_option("--config", o.config_path, "YAML config file (see etc/tseederd.yaml)");
  app.add_option("--data-dir", o.data_dir, "directory for the database, downloads and local storage");
  app.add_option("--listen", o.listen, "HTTP address HOST:PORT; port 0 picks a free one");
  app.add_option("--socket", o.socket, "Unix socket path for the local CLI");
  app.add_option("--plugin-dir", o.plugin_dir, "directory to load plugins from");
  app.add_option("--log-level", o.log_level, "trace | debug | info | warn | error");
  app.add_option("--ready-file", o.ready_file, "write {url, socket, pid} as JSON here once listening");
  app.add_flag("--dump-config", o.dump_config, "print the effective configuration as YAML and exit");
  app.add_flag("--routes", o.list_routes, "print every API route with the role it needs, then exit");
  app.add_flag("--allow-private-urls", o.allow_private_urls,
               "let URL jobs reach loopback and private addresses (tests, single-user boxes); "
               "same as allow_private_urls: true");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return std::nullopt;
}

config::Config resolve_config(const DaemonOptions& o) {
  config::Config cfg = o.config_path.empty() ? config::load_text("", "defaults") : config::load_file(o.config_path);
  auto apply = [&cfg](const char* key, const std::optional<std::string>& v) {
    if (!v) return;
    config::KeyValueText text{*v, {}, false};
    if (auto err = config::find_row(key)->apply(cfg, text); !err.empty())
      throw Error(Errc::config, std::string("flag --") + key + " is invalid: " + err, {}, key);
  };
  apply("data_dir", o.data_dir);
  apply("listen", o.listen);
  apply("socket", o.socket);
  apply("plugin_dir", o.plugin_dir);
  apply("log.level", o.log_level);
  if (o.allow_private_urls) cfg.allow_private_urls = true;
  return cfg;
}

}  // namespace tseeder::daemon
