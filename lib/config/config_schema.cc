#include "config/config_schema.h"

#include "config/config_keys.h"

namespace tseeder::config {
namespace {
std::vector<SchemaRow> build() {
  std::vector<SchemaRow> rows;
  rows.push_back(string_key("listen", &Config::listen,
                            "HTTP API address HOST:PORT (port 0 picks a free port, logged at start)", check_host_port));
  rows.push_back(string_key("metrics.listen", &Config::metrics_listen,
                            "HOST:PORT that answers GET /metrics to anyone who reaches it (for a Prometheus on a "
                            "private network); empty: /metrics only on the socket and for admins on the API",
                            [](const std::string& s) { return s.empty() ? std::string() : check_host_port(s); }));
  rows.push_back(string_key("socket", &Config::socket,
                            "Unix socket for the local CLI (mode 0660); empty: DATA_DIR/tseederd.sock"));
  rows.push_back(string_key("data_dir", &Config::data_dir, "where the database, downloads and local storage live"));
  rows.push_back(string_key("plugin_dir", &Config::plugin_dir,
                            "directory plugins are loaded from; empty: the installed plugin directory"));
  rows.push_back(list_key("plugins.disabled", &Config::plugins_disabled, "plugin names not to load"));
  rows.push_back(string_key("log.level", &Config::log_level, "trace | debug | info | warn | error", check_log_level));
  rows.push_back(int_key("jobs.max_active", &Config::jobs_max_active, 1, 1000,
                         "downloads running at once; the rest wait in 'queued'"));
  rows.push_back(int_key("jobs.progress_interval_ms", &Config::jobs_progress_interval_ms, 100, 60000,
                         "how often engines report progress"));
  rows.push_back(int_key("jobs.retry_max_attempts", &Config::jobs_retry_max_attempts, 1, 100,
                         "attempts of a job failing with a retryable error before it joins the dead-letter list"));
  rows.push_back(int_key("jobs.retry_base_ms", &Config::jobs_retry_base_ms, 10, 3'600'000,
                         "wait before the second attempt; it doubles with each attempt, less up to 20% jitter"));
  rows.push_back(
      int_key("jobs.retry_cap_ms", &Config::jobs_retry_cap_ms, 10, 86'400'000, "the longest wait between attempts"));
  rows.push_back(int_key("engine_http.max_redirects", &Config::engine_http_max_redirects, 0, 50,
                         "redirects followed by the HTTP engine"));
  rows.push_back(int_key("engine_http.connect_timeout_s", &Config::engine_http_connect_timeout_s, 1, 600,
                         "HTTP connect timeout in seconds"));
  rows.push_back(int_key("engine_http.stall_timeout_s", &Config::engine_http_stall_timeout_s, 5, 3600,
                         "an HTTP transfer with no data for this long fails (retryable)"));
  rows.push_back(string_key("engine_http.ca_file", &Config::engine_http_ca_file,
                            "PEM file of CA certificates for HTTPS; empty: the system's"));
  rows.push_back(int_key("engine_http.download_rate_limit", &Config::engine_http_download_rate_limit, 0, 2147483647,
                         "download bytes/s for all HTTP downloads together; 0 = no limit"));
  rows.push_back(int_key("engine_http.connections", &Config::engine_http_connections, 1, 16,
                         "connections a large HTTP download uses when the server serves ranges"));
  rows.push_back(int_key("engine_http.split_min_bytes", &Config::engine_http_split_min_bytes, 1 << 20,
                         std::int64_t{1} << 40, "HTTP downloads smaller than this use one connection"));
  rows.push_back(bool_key("engine_http.sidecar_checksums", &Config::engine_http_sidecar_checksums,
                          "check a download against URL.sha256 when neither the job nor the server gives a digest"));
  rows.push_back(string_key("seedr.base_url", &Config::seedr_base_url,
                            "Seedr.cc's address (engine-seedr, the `seedr` provider)", check_public_url));
  rows.push_back(string_key("seedr.email", &Config::seedr_email,
                            "Seedr account email for the password grant (or env TSEEDER_SEEDR_EMAIL); empty: only "
                            "a device login (`tseeder admin provider login seedr`)"));
  rows.push_back(secret_key("seedr.password", &Config::seedr_password,
                            "Seedr account password (or env TSEEDER_SEEDR_PASSWORD; never logged or dumped)"));
  rows.push_back(string_key("seedr.ca_file", &Config::seedr_ca_file,
                            "PEM file of CA certificates for Seedr; empty: the system's"));
  rows.push_back(bool_key("seedr.delete_after_pull", &Config::seedr_delete_after_pull,
                          "remove a job's files from the Seedr account once they are pulled"));
  rows.push_back(int_key("seedr.stall_timeout_s", &Config::seedr_stall_timeout_s, 1, 604'800,
                         "a remote transfer whose progress does not move for this long is removed and the job "
                         "fails (retryable): a dead magnet sits at 0 % there"));
  rows.push_back(int_key("seedr.poll_interval_ms", &Config::seedr_poll_interval_ms, 50, 600'000,
                         "how often a remote transfer's progress is read"));
  rows.push_back(int_key("seedr.retry_base_ms", &Config::seedr_retry_base_ms, 10, 60'000,
                         "wait before retrying a Seedr call answered 5xx/429 or cut off; doubles, up to 30 s"));
  rows.push_back(int_key("seedr.auth_retry_s", &Config::seedr_auth_retry_s, 1, 86'400,
                         "rejected Seedr credentials are tried again after this long (a login retries at once)"));
  rows.push_back(string_key("engine_torrent.listen_interfaces", &Config::engine_torrent_listen_interfaces,
                            "BitTorrent listen addresses, comma-separated HOST:PORT (libtorrent syntax)"));
  rows.push_back(bool_key("engine_torrent.dht", &Config::engine_torrent_dht, "use the DHT to find peers"));
  rows.push_back(int_key("engine_torrent.notice_after_s", &Config::engine_torrent_notice_after_s, 1, 86400,
                         "a torrent without metadata, peers or data this many seconds gets a notice event"));
  rows.push_back(bool_key("engine_torrent.lsd", &Config::engine_torrent_lsd, "local service discovery"));
  rows.push_back(bool_key("engine_torrent.upnp", &Config::engine_torrent_upnp, "map the listen port with UPnP"));
  rows.push_back(bool_key("engine_torrent.natpmp", &Config::engine_torrent_natpmp, "map the listen port with NAT-PMP"));
  rows.push_back(
      bool_key("engine_torrent.utp", &Config::engine_torrent_utp, "uTP besides TCP (off: TCP is faster on servers)"));
  rows.push_back(bool_key("engine_torrent.allow_multiple_connections_per_ip",
                          &Config::engine_torrent_allow_multiple_connections_per_ip,
                          "several peers on one IP address (needed when peers share a host)"));
  rows.push_back(int_key("engine_torrent.resume_save_interval_s", &Config::engine_torrent_resume_save_interval_s, 1,
                         3600, "how often resume data of running torrents is saved"));
  rows.push_back(bool_key("engine_torrent.pex", &Config::engine_torrent_pex, "peer exchange with connected peers"));
  rows.push_back(string_key("engine_torrent.encryption", &Config::engine_torrent_encryption,
                            "peer connection encryption: enabled (either), forced (only encrypted), disabled",
                            check_encryption));
  rows.push_back(int_key("engine_torrent.connections_limit", &Config::engine_torrent_connections_limit, 2, 65535,
                         "peer connections for all torrents together"));
  rows.push_back(int_key("engine_torrent.receive_buffer_kib", &Config::engine_torrent_receive_buffer_kib, 0, 65536,
                         "kernel receive buffer of each peer connection in KiB, which also bounds what the engine "
                         "reads from it at once; 0 = the system's autotuning"));
  rows.push_back(bool_key("engine_torrent.disk_thread", &Config::engine_torrent_disk_thread,
                          "write and hash pieces on a thread of their own (false: on the network thread)"));
  rows.push_back(int_key("engine_torrent.peers_per_torrent", &Config::engine_torrent_peers_per_torrent, 2, 65535,
                         "peer connections per torrent"));
  rows.push_back(int_key("engine_torrent.download_rate_limit", &Config::engine_torrent_download_rate_limit, 0,
                         2147483647, "download bytes/s for all torrents together; 0 = no limit"));
  rows.push_back(int_key("engine_torrent.upload_rate_limit", &Config::engine_torrent_upload_rate_limit, 0, 2147483647,
                         "upload bytes/s for all torrents together; 0 = no limit"));
  rows.push_back(string_key("engine_torrent.proxy", &Config::engine_torrent_proxy,
                            "proxy for peers and trackers: socks5://HOST:PORT, socks4://… or http://…; empty: none",
                            check_proxy));
  rows.push_back(string_key("engine_torrent.proxy_username", &Config::engine_torrent_proxy_username,
                            "proxy user name, if it asks for one"));
  rows.push_back(secret_key("engine_torrent.proxy_password", &Config::engine_torrent_proxy_password,
                            "proxy password (never logged or dumped)"));
  rows.push_back(string_key("engine_torrent.outgoing_interfaces", &Config::engine_torrent_outgoing_interfaces,
                            "bind outgoing peer connections to these interfaces or addresses (comma-separated)"));
  rows.push_back(string_key("engine_torrent.seed_ratio_limit", &Config::engine_torrent_seed_ratio_limit,
                            "after completion, seed until uploaded/size reaches this; 0 = no ratio goal", check_ratio));
  rows.push_back(int_key("engine_torrent.seed_time_limit_s", &Config::engine_torrent_seed_time_limit_s, 0,
                         10LL * 365 * 24 * 3600, "after completion, seed at most this long; 0 = no time goal"));
  rows.push_back(string_key("storage.backend", &Config::storage_backend,
                            "where completed files are kept: local (DATA_DIR/storage) or s3", [](const std::string& s) {
                              return s == "local" || s == "s3" ? std::string() : "'" + s + "' is not local or s3";
                            }));
  rows.push_back(string_key("storage.local.path", &Config::storage_local_path,
                            "directory of the local backend; empty: DATA_DIR/storage. A fleet's agents and "
                            "controller share it (a network mount) or use s3"));
  rows.push_back(string_key("storage.s3.endpoint", &Config::storage_s3_endpoint,
                            "S3 endpoint scheme://host[:port], e.g. https://s3.eu-west-1.amazonaws.com",
                            [](const std::string& s) {
                              return check_url_with(s, {"http://", "https://"}, "an http:// or https:// URL");
                            }));
  rows.push_back(string_key("storage.s3.region", &Config::storage_s3_region, "region the bucket lives in"));
  rows.push_back(string_key("storage.s3.bucket", &Config::storage_s3_bucket, "bucket name"));
  rows.push_back(secret_key("storage.s3.access_key", &Config::storage_s3_access_key,
                            "access key id (or env TSEEDER_S3_ACCESS_KEY; never logged)"));
  rows.push_back(secret_key("storage.s3.secret_key", &Config::storage_s3_secret_key,
                            "secret access key (or env TSEEDER_S3_SECRET_KEY; never logged or dumped)"));
  rows.push_back(secret_key("storage.s3.session_token", &Config::storage_s3_session_token,
                            "session token of temporary credentials (or env TSEEDER_S3_SESSION_TOKEN)"));
  rows.push_back(bool_key("storage.s3.path_style", &Config::storage_s3_path_style,
                          "address the bucket as ENDPOINT/BUCKET/KEY (false: BUCKET.ENDPOINT/KEY)"));
  rows.push_back(int_key("storage.s3.part_size_mib", &Config::storage_s3_part_size_mib, 5, 5120,
                         "files larger than this are sent as multipart uploads of parts this size"));
  rows.push_back(int_key("storage.s3.concurrency", &Config::storage_s3_concurrency, 1, 64,
                         "parts of one file uploaded at the same time"));
  rows.push_back(int_key("storage.s3.max_attempts", &Config::storage_s3_max_attempts, 1, 20,
                         "tries per request on network errors, 5xx and throttling (backoff between)"));
  rows.push_back(string_key("storage.s3.ca_file", &Config::storage_s3_ca_file,
                            "PEM file of CA certificates for the endpoint; empty: the system's"));
  rows.push_back(bool_key("scan.enabled", &Config::scan_enabled,
                          "scan finished downloads for viruses before storing them (scanner plugin)"));
  rows.push_back(int_key("pipeline.workers", &Config::pipeline_workers, 1, 64,
                         "finished downloads scanned and stored at the same time"));
  rows.push_back(int_key("storage.sweep_hour_utc", &Config::storage_sweep_hour_utc, 0, 23,
                         "hour (UTC) of the daily sweep: files past their plan's retention, orphans"));
  rows.push_back(int_key("downloads.reserve_mib", &Config::downloads_reserve_mib, 0, 1 << 24,
                         "free space (MiB) kept in the download directory; jobs wait queued rather than fill it"));
  rows.push_back(string_key("scanner_clamav.socket", &Config::scanner_clamav_socket,
                            "clamd's Unix socket (its LocalSocket); empty: scan with clamscan instead"));
  rows.push_back(string_key("scanner_clamav.clamscan", &Config::scanner_clamav_clamscan,
                            "clamscan program used when no clamd socket is set; empty: none"));
  rows.push_back(string_key("scanner_clamav.database", &Config::scanner_clamav_database,
                            "signature directory for clamscan (-d); empty: ClamAV's default"));
  rows.push_back(int_key("scanner_clamav.timeout_s", &Config::scanner_clamav_timeout_s, 1, 86400,
                         "longest wait for one file's verdict"));
  rows.push_back(int_key("downloads.link_ttl_s", &Config::downloads_link_ttl_s, 60, 7 * 24 * 3600,
                         "how long a signed download link works unless the request asks for less or more"));
  rows.push_back(bool_key("allow_private_urls", &Config::allow_private_urls,
                          "URL jobs may fetch from loopback, private, link-local and cloud-metadata addresses"));
  rows.push_back(list_key("auth.allowed_hosts", &Config::auth_allowed_hosts,
                          "Host header names the API answers (DNS rebinding guard); empty: localhost, the "
                          "listen address and auth.public_url's host"));
  rows.push_back(string_key("auth.public_url", &Config::auth_public_url,
                            "how users reach the API, for links in emails; https:// makes cookies Secure; "
                            "empty: http://LISTEN",
                            check_public_url));
  rows.push_back(bool_key("auth.open_registration", &Config::auth_open_registration,
                          "anyone may register (off: only admins add accounts)"));
  rows.push_back(bool_key("auth.require_email_verification", &Config::auth_require_email_verification,
                          "login waits until the email address is verified (needs smtp.url)"));
  rows.push_back(int_key("auth.session_idle_timeout_s", &Config::auth_session_idle_timeout_s, 1, 30LL * 24 * 3600,
                         "a session unused this long ends"));
  rows.push_back(int_key("auth.session_absolute_timeout_s", &Config::auth_session_absolute_timeout_s, 1,
                         365LL * 24 * 3600, "a session ends this long after login, used or not"));
  rows.push_back(int_key("auth.lockout_failures", &Config::auth_lockout_failures, 1, 1000,
                         "failed logins in a row, for one account from one address, that lock that address "
                         "out of that account (the owner elsewhere is not locked out)"));
  rows.push_back(int_key("auth.lockout_s", &Config::auth_lockout_s, 1, 7LL * 24 * 3600, "how long a lock lasts"));
  rows.push_back(int_key("auth.kdf_memory_kib", &Config::auth_kdf_memory_kib, 19 * 1024, 4 * 1024 * 1024,
                         "Argon2id memory per password hash, KiB (at least 19 MiB)"));
  rows.push_back(int_key("auth.kdf_passes", &Config::auth_kdf_passes, 2, 100, "Argon2id passes (at least 2)"));
  rows.push_back(int_key("limits.login_per_minute_ip", &Config::limits_login_per_minute_ip, 0, 1000000,
                         "login attempts per client address per minute; 0 = no limit"));
  rows.push_back(int_key("limits.login_per_minute_account", &Config::limits_login_per_minute_account, 0, 1000000,
                         "failed logins per minute on one account (from any address) past which every login "
                         "to it waits 2 s before its password is checked; never refused"));
  rows.push_back(int_key("limits.register_per_hour_ip", &Config::limits_register_per_hour_ip, 0, 1000000,
                         "registrations per client address per hour"));
  rows.push_back(int_key("limits.reset_per_hour_ip", &Config::limits_reset_per_hour_ip, 0, 1000000,
                         "password reset and verification mails asked per client address per hour"));
  rows.push_back(int_key("limits.reset_per_hour_account", &Config::limits_reset_per_hour_account, 0, 1000000,
                         "password reset and verification mails per account per hour"));
  rows.push_back(int_key("limits.api_per_minute_ip", &Config::limits_api_per_minute_ip, 0, 100000000,
                         "API requests per client address per minute"));
  rows.push_back(int_key("limits.api_per_minute_account", &Config::limits_api_per_minute_account, 0, 100000000,
                         "API requests per account per minute"));
  rows.push_back(int_key("limits.streams_per_account", &Config::limits_streams_per_account, 0, 100000,
                         "live event streams (GET /jobs/{id}/events) one account may keep open; 0 = no limit"));
  rows.push_back(int_key("http.max_connections", &Config::http_max_connections, 1, 1'000'000,
                         "TCP connections served at once; past it (or near the open-file limit) the one "
                         "waiting longest for a request is closed, or the new one when none waits"));
  rows.push_back(int_key("http.max_connections_per_address", &Config::http_max_connections_per_address, 1, 1'000'000,
                         "TCP connections from one client address"));
  rows.push_back(int_key("http.header_timeout_s", &Config::http_header_timeout_s, 1, 3600,
                         "a request header must arrive whole within this, from its first byte"));
  rows.push_back(int_key("http.idle_timeout_s", &Config::http_idle_timeout_s, 1, 86400,
                         "a kept-alive connection with no new request is closed after this"));
  rows.push_back(int_key("http.body_timeout_s", &Config::http_body_timeout_s, 1, 3600,
                         "a request body that makes no progress for this long is answered 408"));
  rows.push_back(int_key("http.send_timeout_s", &Config::http_send_timeout_s, 1, 3600,
                         "a client that takes no part of an answer for this long is disconnected"));
  rows.push_back(int_key("http.fd_reserve", &Config::http_fd_reserve, 8, 100'000,
                         "open files kept free of TCP connections, for the Unix socket, the database and "
                         "downloads"));
  rows.push_back(string_key("role", &Config::role,
                            "both: one machine does everything; controller: serves users and hands jobs to "
                            "agents; agent: runs jobs for a controller and serves no users",
                            [](const std::string& s) {
                              return s == "both" || s == "controller" || s == "agent"
                                         ? std::string()
                                         : "'" + s + "' is not both, controller or agent";
                            }));
  rows.push_back(string_key("fleet.controller_url", &Config::fleet_controller_url,
                            "an agent's controller: http(s)://HOST:PORT", [](const std::string& s) {
                              return check_url_with(s, {"http://", "https://"}, "an http:// or https:// URL");
                            }));
  rows.push_back(secret_key("fleet.join_token", &Config::fleet_join_token,
                            "token from `tseeder admin fleet token` for an agent's first start (or env "
                            "TSEEDER_JOIN_TOKEN; never logged or dumped)"));
  rows.push_back(string_key("fleet.agent_name", &Config::fleet_agent_name,
                            "how the controller lists this agent; empty: the host name"));
  rows.push_back(int_key("fleet.stale_after_s", &Config::fleet_stale_after_s, 5, 3600,
                         "controller: an agent silent this long is stale and its jobs go to others; offline "
                         "after twice this"));
  add_billing_rows(rows);
  rows.push_back(string_key("smtp.url", &Config::smtp_url,
                            "mail server for verification and reset mails: smtp://HOST:PORT or smtps://HOST:PORT",
                            check_smtp_url));
  rows.push_back(string_key("smtp.from", &Config::smtp_from, "sender address of mails"));
  rows.push_back(string_key("smtp.username", &Config::smtp_username, "SMTP user name, if the server asks"));
  rows.push_back(secret_key("smtp.password", &Config::smtp_password, "SMTP password (never logged or dumped)"));
  rows.push_back(bool_key("smtp.require_tls", &Config::smtp_require_tls,
                          "refuse to send mail unless STARTTLS (or smtps://) protects it"));
  return rows;
}

}  // namespace

const std::vector<SchemaRow>& schema() {
  static const std::vector<SchemaRow> rows = build();
  return rows;
}

const SchemaRow* find_row(const std::string& path) {
  for (const auto& r : schema())
    if (r.path == path) return &r;
  return nullptr;
}

}  // namespace tseeder::config
