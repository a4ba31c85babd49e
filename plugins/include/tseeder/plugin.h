/*
 * tseeder plugin ABI — the only header a plugin needs.
 *
 * A plugin is a shared object exporting one symbol, tseeder_plugin_entry, which returns a
 * descriptor. Only C types cross this boundary, and no exception may escape a plugin.
 *
 * Versioning: the host refuses a plugin whose abi_major differs from TSEEDER_ABI_MAJOR or whose
 * abi_minor is greater than the host's. Every shared struct starts with struct_size so either
 * side can grow it: the reader copies min(struct_size, sizeof) and zero-fills the rest. The host
 * API table is append-only.
 *
 * Threads: plugins may call the job sink from any thread. After stop() returns, the plugin makes
 * no further call on that job's sink.
 */
#ifndef TSEEDER_PLUGIN_H
#define TSEEDER_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TSEEDER_ABI_MAJOR 1
#define TSEEDER_ABI_MINOR 8

typedef enum tseeder_status {
  TSEEDER_OK = 0,
  TSEEDER_ERR = 1,         /* generic failure; message in the error buffer */
  TSEEDER_UNSUPPORTED = 2, /* the operation or source is not handled by this plugin */
  TSEEDER_INVALID = 3      /* bad arguments */
} tseeder_status;

typedef enum tseeder_plugin_kind {
  TSEEDER_KIND_ENGINE = 1,
  TSEEDER_KIND_SCANNER = 2,
  TSEEDER_KIND_CHAIN_WATCHER = 3 /* ABI 1.7 */
} tseeder_plugin_kind;

typedef enum tseeder_log_level {
  TSEEDER_LOG_DEBUG = 0,
  TSEEDER_LOG_INFO = 1,
  TSEEDER_LOG_WARN = 2,
  TSEEDER_LOG_ERROR = 3
} tseeder_log_level;

/* What the host offers every plugin. Append-only. */
typedef struct tseeder_host_api {
  uint32_t struct_size;
  uint32_t abi_major;
  uint32_t abi_minor;
  void* host_ctx;
  void (*log)(void* host_ctx, int level, const char* plugin, const char* message);
  /* Copies the value of config key `key` (e.g. "engine_http.max_redirects") into buf.
   * Returns 1 when the key exists and fits, 0 otherwise. */
  int (*config_get)(void* host_ctx, const char* key, char* buf, size_t buf_len);
} tseeder_host_api;

/* ---- engines ---- */

typedef struct tseeder_file_entry {
  uint32_t struct_size;
  const char* path; /* relative to the job's work_dir, '/' separated */
  uint64_t size_bytes;
} tseeder_file_entry;

typedef struct tseeder_progress {
  uint32_t struct_size;
  uint64_t bytes_done;
  uint64_t bytes_total; /* 0 when unknown */
  uint64_t download_bps;
  uint64_t upload_bps;
  uint32_t peers;
  uint32_t seeds;
  int64_t eta_s;           /* -1 when unknown */
  uint64_t bytes_uploaded; /* ABI 1.5: payload uploaded in all so far; 0 when not counted */
} tseeder_progress;

/* Per-job callbacks from the engine to the host. Any thread; ctx is the host's. */
typedef struct tseeder_job_sink {
  uint32_t struct_size;
  void* ctx;
  void (*metadata_ready)(void* ctx, const char* name, uint64_t total_bytes, const tseeder_file_entry* files,
                         size_t file_count);
  void (*progress)(void* ctx, const tseeder_progress* progress);
  /* All files are complete inside work_dir. */
  void (*completed)(void* ctx, const tseeder_file_entry* files, size_t file_count);
  /* retryable: 1 when trying again later may succeed (network, 5xx), 0 when it cannot. */
  void (*failed)(void* ctx, const char* reason, int retryable);
  /* ABI 1.2 (check struct_size before calling). Instead of completed(): all files are complete
   * and the engine keeps seeding them from work_dir, so the host stores copies and leaves
   * work_dir in place until seeding_done(). */
  void (*completed_seeding)(void* ctx, const tseeder_file_entry* files, size_t file_count);
  /* Seeding ended by the engine's policy; the job's work_dir is no longer used. */
  void (*seeding_done)(void* ctx, uint64_t uploaded_bytes, uint64_t seconds);
  /* ABI 1.3 (check struct_size before calling). Just before metadata_ready: every identity of
   * the content now known, lower-case hex separated by spaces (for a hybrid torrent its v1 and
   * v2 infohashes; for a URL a digest of URL, size and validator), so the host can check them
   * against its blocklist and find the same content stored before. */
  void (*content_ids)(void* ctx, const char* ids);
  /* ABI 1.4 (check struct_size before calling). Just before content_ids: TSEEDER_CONTENT_*
   * flags of the content (a private torrent is shared only with those who hold its metadata). */
  void (*content_flags)(void* ctx, uint32_t flags);
  /* ABI 1.5 (check struct_size before calling). Something the user should know about the job
   * that does not end it: `kind` is a short word (tracker_error, tracker_warning, no_peers,
   * no_metadata, stalled), `message` one sentence. Engines say each thing once, not on every
   * report, and again only when it changes. */
  void (*notice)(void* ctx, const char* kind, const char* message);
} tseeder_job_sink;

/* Content flags (ABI 1.4), in content_flags() and tseeder_source_info.content_flags. */
#define TSEEDER_CONTENT_PRIVATE 0x1u /* a private torrent: peers only from its own trackers */

/* tseeder_job_spec.flags (ABI 1.2) */
#define TSEEDER_JOB_SEQUENTIAL 0x1u /* fetch pieces in order, for streaming */
/* ABI 1.3: after metadata_ready, fetch no file data until configure() clears this flag: the host
 * first checks the content against the owner's plan and the blocklist. Only set for engines that
 * have configure(). */
#define TSEEDER_JOB_HOLD_AFTER_METADATA 0x2u

/* File priorities (ABI 1.2), libtorrent's scale. */
#define TSEEDER_PRIORITY_SKIP 0
#define TSEEDER_PRIORITY_LOW 1
#define TSEEDER_PRIORITY_NORMAL 4
#define TSEEDER_PRIORITY_HIGH 7

typedef struct tseeder_job_spec {
  uint32_t struct_size;
  const char* job_id;
  const char* source;   /* URL, magnet link, or a .torrent file path */
  const char* work_dir; /* exists; the engine writes nowhere else */
  /* ABI 1.2: what the user chose; engines apply what they can. */
  uint32_t flags;                 /* TSEEDER_JOB_* */
  uint64_t download_limit_bps;    /* 0 = unlimited */
  uint64_t upload_limit_bps;      /* 0 = unlimited */
  const uint8_t* file_priorities; /* by file index as in metadata_ready; NULL = none given */
  size_t file_priority_count;
  uint8_t default_file_priority; /* for files past file_priority_count */
  /* ABI 1.8 (check struct_size before reading): the digest the finished file must have,
   * "sha256:<hex>", "sha1:<hex>" or "md5:<hex>" in lower case; NULL or "" when none was given.
   * An engine that fetches single files fails the job (not retryable) on a mismatch; other
   * engines ignore it. */
  const char* checksum;
} tseeder_job_spec;

/* What an engine can tell about a source before any download (ABI 1.1). */
typedef struct tseeder_source_info {
  uint32_t struct_size;
  char infohash[80];      /* lower-case hex (v1 SHA-1, else v2 SHA-256); empty when none */
  char name[256];         /* display name when known (torrent name, magnet dn); may be empty */
  uint64_t total_bytes;   /* 0 when unknown */
  uint32_t file_count;    /* ABI 1.2: files as metadata_ready will list them; 0 when unknown */
  uint32_t content_flags; /* ABI 1.4: TSEEDER_CONTENT_* when the source tells them */
} tseeder_source_info;

typedef struct tseeder_engine_api {
  uint32_t struct_size;
  /* 1 when this engine can run `source`; 0 when it is not this engine's kind of source; ABI 1.2:
   * -1 when it is (a magnet link for a BitTorrent engine) but unusable. With 0 and -1 the reason
   * goes into err; when some engine answers -1 the user sees only such reasons. */
  int (*accepts)(void* self, const char* source, char* err, size_t err_len);
  /* Starts a job; *handle identifies it afterwards. Keeps partial data in work_dir so a later
   * start with the same work_dir resumes. */
  tseeder_status (*start)(void* self, const tseeder_job_spec* spec, const tseeder_job_sink* sink, void** handle,
                          char* err, size_t err_len);
  tseeder_status (*pause)(void* handle);  /* optional (NULL): host stops and restarts instead */
  tseeder_status (*resume)(void* handle); /* optional */
  /* Stops the job, keeps its partial data, frees the handle. Blocks until no callback for the
   * job is running or will run. */
  void (*stop)(void* handle);
  /* ABI 1.1, optional (NULL): fills *info for a source this engine accepts; returns 1 on
   * success, 0 with a reason in err when the source is unusable. */
  int (*inspect)(void* self, const char* source, tseeder_source_info* info, char* err, size_t err_len);
  /* ABI 1.2, optional (NULL): applies the flags, limits and file priorities of `spec` to a
   * running job (job_id, source and work_dir are unchanged). Without it, or when it answers
   * TSEEDER_UNSUPPORTED for these settings, the host stops the job and starts it again with the
   * new spec. */
  tseeder_status (*configure)(void* handle, const tseeder_job_spec* spec);
  /* ABI 1.5, optional (NULL): the running job's live details as a JSON object (a BitTorrent
   * engine: "infohash", "trackers" with their last answers, "peers"), written into json with a
   * terminating NUL. Returns the length of the text; when that is len or more, nothing usable
   * was written and the host calls again with a larger buffer. -1: no details now. */
  long (*describe)(void* handle, char* json, size_t len);
  /* ABI 1.5, optional (NULL): announce to every tracker now. */
  tseeder_status (*reannounce)(void* handle);
  /* ABI 1.6, optional (NULL): the host is about to remove the work dir of a job that will not run
   * from it again (cancelled, deleted, expired, restarted from nothing); the job is stopped. The
   * engine frees what it keeps for the job elsewhere (a remote service's copy). It must not block:
   * it reads what it needs from work_dir before returning and does the rest on its own thread. */
  void (*forget)(void* self, const char* job_id, const char* work_dir);
  /* ABI 1.6, optional (NULL): the engine's account with a remote provider. `request` is "status"
   * (health, the reason when unhealthy, space and bandwidth), "login_start" (begins a device-code
   * login: user code, verification URL, interval) or "login_poll" (pending, approved, expired or
   * denied). Answers a JSON object into json as describe() does; -1: no such request. May block
   * on the network for a few seconds: the host calls it off its event loop. Never answers with a
   * credential or token. */
  long (*provider)(void* self, const char* request, char* json, size_t len);
} tseeder_engine_api;

/* ---- scanners ---- */

typedef enum tseeder_scan_verdict {
  TSEEDER_SCAN_CLEAN = 0,
  TSEEDER_SCAN_INFECTED = 1,
  TSEEDER_SCAN_ERROR = 2
} tseeder_scan_verdict;

typedef struct tseeder_scanner_api {
  uint32_t struct_size;
  /* Scans one file; detail gets the signature name (infected) or the reason (error). */
  tseeder_scan_verdict (*scan)(void* self, const char* path, char* detail, size_t detail_len);
} tseeder_scanner_api;

/* ---- chain watchers (ABI 1.7) ---- */

typedef struct tseeder_chain_watcher_api {
  uint32_t struct_size;
  /* 1 when this watcher follows payments on `network` ("bitcoin", "litecoin", …), else 0. */
  int (*watches)(void* self, const char* network);
  /* What `address` on `network` has received, as a JSON object written into json with a
   * terminating NUL:
   *   {"tipHeight": 870000, "payments": [{"txid": "<hex>", "amountUnits": "5001", "confirmations": 2}]}
   * amountUnits: what the transaction paid to the address, in the coin's smallest unit, as decimal
   * digits; confirmations: 0 while unconfirmed. Returns the length of the text; when that is len or
   * more, nothing usable was written and the host calls again with a larger buffer. -1: no answer,
   * the reason in err. May block on the network for a few seconds: the host calls it off its
   * event loop, one call at a time per plugin. */
  long (*payments)(void* self, const char* network, const char* address, char* json, size_t len, char* err,
                   size_t err_len);
} tseeder_chain_watcher_api;

/* ---- the descriptor ---- */

typedef struct tseeder_plugin_descriptor {
  uint32_t struct_size;
  uint32_t abi_major;
  uint32_t abi_minor;
  uint32_t kind; /* tseeder_plugin_kind */
  const char* name;
  const char* version;
  const char* description;
  /* Creates the plugin's state. */
  tseeder_status (*init)(const tseeder_host_api* host, void** self, char* err, size_t err_len);
  void (*shutdown)(void* self);
  const tseeder_engine_api* engine;               /* kind == ENGINE */
  const tseeder_scanner_api* scanner;             /* kind == SCANNER */
  const tseeder_chain_watcher_api* chain_watcher; /* ABI 1.7: kind == CHAIN_WATCHER */
} tseeder_plugin_descriptor;

#define TSEEDER_PLUGIN_ENTRY_SYMBOL "tseeder_plugin_entry"
typedef const tseeder_plugin_descriptor* (*tseeder_plugin_entry_fn)(const tseeder_host_api* host);

#if defined(__GNUC__)
#define TSEEDER_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define TSEEDER_PLUGIN_EXPORT
#endif

TSEEDER_PLUGIN_EXPORT const tseeder_plugin_descriptor* tseeder_plugin_entry(const tseeder_host_api* host);

#ifdef __cplusplus
}
#endif

#endif /* TSEEDER_PLUGIN_H */
