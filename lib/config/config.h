// Typed daemon configuration. Every key is one row of the schema in config_schema.cc.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tseeder::config {

struct Config {
  std::string listen = "127.0.0.1:8420";  // host:port; port 0 picks a free one
  std::string metrics_listen;             // host:port of a /metrics-only listener; empty: none
  std::string socket;                     // empty → {data_dir}/tseederd.sock
  std::string data_dir = "./var";
  std::string plugin_dir;  // empty → the install location of plugins
  std::vector<std::string> plugins_disabled;
  std::string log_level = "info";
  std::int64_t jobs_max_active = 4;
  std::int64_t jobs_progress_interval_ms = 1000;
  std::int64_t jobs_retry_max_attempts = 5;
  std::int64_t jobs_retry_base_ms = 15'000;
  std::int64_t jobs_retry_cap_ms = 600'000;
  std::int64_t engine_http_max_redirects = 10;
  std::int64_t engine_http_connect_timeout_s = 30;
  std::int64_t engine_http_stall_timeout_s = 60;
  std::string engine_http_ca_file;                   // empty → the system's CA certificates
  std::int64_t engine_http_download_rate_limit = 0;  // bytes/s for all HTTP downloads; 0 = none
  std::int64_t engine_http_connections = 4;          // ranges at once for large files
  std::int64_t engine_http_split_min_bytes = 64ll << 20;
  bool engine_http_sidecar_checksums = true;
  std::string seedr_base_url = "https://www.seedr.cc";
  std::string seedr_email;     // or TSEEDER_SEEDR_EMAIL
  std::string seedr_password;  // or TSEEDER_SEEDR_PASSWORD; never logged or dumped
  std::string seedr_ca_file;
  bool seedr_delete_after_pull = true;
  std::int64_t seedr_stall_timeout_s = 3600;
  std::int64_t seedr_poll_interval_ms = 5000;
  std::int64_t seedr_retry_base_ms = 500;
  std::int64_t seedr_auth_retry_s = 60;
  std::string engine_torrent_listen_interfaces = "0.0.0.0:6881,[::]:6881";
  bool engine_torrent_dht = true;
  bool engine_torrent_lsd = true;
  std::int64_t engine_torrent_notice_after_s = 300;  // no metadata / peers / data this long: tell the owner
  bool engine_torrent_upnp = false;
  bool engine_torrent_natpmp = false;
  bool engine_torrent_utp = false;
  bool engine_torrent_allow_multiple_connections_per_ip = false;
  std::int64_t engine_torrent_resume_save_interval_s = 10;
  bool engine_torrent_pex = true;
  std::string engine_torrent_encryption = "enabled";  // enabled | forced | disabled
  std::int64_t engine_torrent_connections_limit = 500;
  std::int64_t engine_torrent_receive_buffer_kib = 256;
  bool engine_torrent_disk_thread = true;
  std::int64_t engine_torrent_peers_per_torrent = 100;
  std::int64_t engine_torrent_download_rate_limit = 0;  // bytes/s for all torrents; 0 = none
  std::int64_t engine_torrent_upload_rate_limit = 0;
  std::string engine_torrent_proxy;  // socks5://host:port, socks4://…, http://…; empty = direct
  std::string engine_torrent_proxy_username;
  std::string engine_torrent_proxy_password;
  std::string engine_torrent_outgoing_interfaces;     // NIC names or addresses; empty = any
  std::string engine_torrent_seed_ratio_limit = "0";  // keep seeding until uploaded/size reaches it
  std::int64_t engine_torrent_seed_time_limit_s = 0;  // … or for this long; both 0 = stop once stored
  bool allow_private_urls = false;
  std::string storage_backend = "local";  // local | s3
  std::string storage_local_path;         // empty → {data_dir}/storage
  std::string storage_s3_endpoint;        // scheme://host[:port]
  std::string storage_s3_region = "us-east-1";
  std::string storage_s3_bucket;
  std::string storage_s3_access_key;     // or TSEEDER_S3_ACCESS_KEY
  std::string storage_s3_secret_key;     // or TSEEDER_S3_SECRET_KEY
  std::string storage_s3_session_token;  // or TSEEDER_S3_SESSION_TOKEN
  bool storage_s3_path_style = true;
  std::int64_t storage_s3_part_size_mib = 16;
  std::int64_t storage_s3_concurrency = 4;
  std::int64_t storage_s3_max_attempts = 5;
  std::string storage_s3_ca_file;
  bool scan_enabled = true;                          // finished downloads go through the scanner plugin
  std::int64_t pipeline_workers = 2;                 // scans and uploads running at once
  std::int64_t storage_sweep_hour_utc = 3;           // the daily retention and orphan sweep
  std::int64_t downloads_reserve_mib = 1024;         // free space kept in the download dir
  std::string scanner_clamav_socket;                 // clamd's LocalSocket; empty: run clamscan per file
  std::string scanner_clamav_clamscan = "clamscan";  // program for the fallback; empty: no fallback
  std::string scanner_clamav_database;               // clamscan -d DIR; empty: ClamAV's default
  std::int64_t scanner_clamav_timeout_s = 600;
  std::int64_t downloads_link_ttl_s = 3600;  // default life of a signed download link                    // URL jobs
                                             // may reach loopback/private/link-local addresses

  std::vector<std::string> auth_allowed_hosts;  // Host header names; empty → localhost + listen + public_url
  std::string auth_public_url;                  // how users reach the API; empty → http://{listen}
  bool auth_open_registration = true;
  bool auth_require_email_verification = true;
  std::int64_t auth_session_idle_timeout_s = 8 * 3600;
  std::int64_t auth_session_absolute_timeout_s = 7 * 24 * 3600;
  std::int64_t auth_lockout_failures = 10;
  std::int64_t auth_lockout_s = 15 * 60;
  std::int64_t auth_kdf_memory_kib = 19 * 1024;
  std::int64_t auth_kdf_passes = 2;

  // Requests allowed per window; 0 = no limit.
  std::int64_t limits_login_per_minute_ip = 20;
  std::int64_t limits_login_per_minute_account = 10;
  std::int64_t limits_register_per_hour_ip = 10;
  std::int64_t limits_reset_per_hour_ip = 10;
  std::int64_t limits_reset_per_hour_account = 3;
  std::int64_t limits_api_per_minute_ip = 1200;
  std::int64_t limits_api_per_minute_account = 600;
  std::int64_t limits_streams_per_account = 20;

  // HTTP connections (see daemon/http/connections.h).
  std::int64_t http_max_connections = 512;
  std::int64_t http_max_connections_per_address = 64;
  std::int64_t http_header_timeout_s = 10;
  std::int64_t http_idle_timeout_s = 60;
  std::int64_t http_body_timeout_s = 30;
  std::int64_t http_send_timeout_s = 60;
  std::int64_t http_fd_reserve = 64;

  std::string role = "both";              // both (a single node) | controller | agent
  std::string fleet_controller_url;       // an agent's controller, http(s)://host:port
  std::string fleet_join_token;           // an agent's first start only; or TSEEDER_JOIN_TOKEN
  std::string fleet_agent_name;           // empty → the host name
  std::int64_t fleet_stale_after_s = 30;  // no heartbeat this long: an agent's jobs go to others

  std::int64_t billing_order_expiry_s = 1800;  // an unpaid crypto order expires after this
  std::int64_t billing_sweep_interval_s = 60;  // how often orders expire and bought periods lapse
  std::int64_t billing_watch_interval_s = 30;  // how often chain watchers are asked about payments
  // Confirmations a watched payment needs before its order is confirmed, per coin.
  std::int64_t billing_confirmations_btc = 2;
  std::int64_t billing_confirmations_ltc = 6;
  std::int64_t billing_confirmations_usdt = 20;
  std::int64_t billing_confirmations_bnb = 15;
  std::string billing_card_api_url = "https://api.stripe.com";  // a Stripe-compatible API
  std::string billing_card_secret_key;                          // empty: card payments are off
  std::string billing_card_webhook_secret;                      // signs /billing/webhook requests
  std::string billing_card_success_url;                         // empty: the public URL
  std::string billing_card_cancel_url;                          // empty: the public URL
  std::string chain_esplora_bitcoin_url;                        // an Esplora API; empty: bitcoin is not watched
  std::string chain_esplora_litecoin_url;
  std::int64_t chain_esplora_timeout_s = 20;

  std::string smtp_url;  // smtp://HOST:PORT or smtps://HOST:PORT; empty = no mail
  std::string smtp_from = "tseeder@localhost";
  std::string smtp_username;
  std::string smtp_password;
  bool smtp_require_tls = false;

  std::string socket_path() const;   // resolves the default
  std::string storage_path() const;  // resolves the default
  std::string public_url() const;    // resolves the default
  // The value of a key as text (for plugins' config_get, secrets included: plugins are the
  // operator's own code); nullopt for an unknown key.
  std::optional<std::string> get_text(const std::string& key) const;
};

// Reads and validates a YAML file; throws Error(Errc::config) naming the key and the line.
Config load_file(const std::string& path);
Config load_text(const std::string& yaml_text, const std::string& source_name = "config");

// The whole configuration as YAML, one commented line per key (secrets redacted).
std::string dump(const Config& cfg);

}  // namespace tseeder::config
