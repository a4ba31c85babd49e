#include "store/db.h"

#include <sqlite3.h>

#include "core/error.h"

namespace tseeder::store {
namespace {

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
  throw Error(Errc::store, "database: " + what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

// The reader connection standing in for one Db on this thread (see Db::read_through).
thread_local const Db* tl_read_for = nullptr;
thread_local Db* tl_reader = nullptr;

// Distinct statements kept per connection; lists build their SQL from the filters given, so the
// set is bounded but not tiny. Past this, statements are finalized instead of kept.
constexpr std::size_t kMaxCachedSql = 512;
}  // namespace

Stmt::Stmt(Db& db, std::string_view sql) : owner_(db.here()), sql_(sql), stmt_(owner_.take(sql_)) {}

Stmt::~Stmt() {
  owner_.give_back(std::move(sql_), stmt_);
}

Stmt& Stmt::bind(int idx, std::int64_t v) {
  if (sqlite3_bind_int64(stmt_, idx, v) != SQLITE_OK) fail(owner_.raw(), "bind");
  return *this;
}

Stmt& Stmt::bind(int idx, std::string_view v) {
  if (sqlite3_bind_text(stmt_, idx, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT) != SQLITE_OK)
    fail(owner_.raw(), "bind");
  return *this;
}

Stmt& Stmt::bind_null(int idx) {
  if (sqlite3_bind_null(stmt_, idx) != SQLITE_OK) fail(owner_.raw(), "bind");
  return *this;
}

bool Stmt::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(owner_.raw(), "step");
}

void Stmt::run() {
  while (step()) {
  }
}

void Stmt::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Stmt::int64(int col) const {
  return sqlite3_column_int64(stmt_, col);
}

std::string Stmt::text(int col) const {
  auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
}

std::optional<std::string> Stmt::opt_text(int col) const {
  if (is_null(col)) return std::nullopt;
  return text(col);
}

std::optional<std::int64_t> Stmt::opt_int64(int col) const {
  if (is_null(col)) return std::nullopt;
  return int64(col);
}

bool Stmt::is_null(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

Db::Db(const std::string& path, Use use) : path_(path) {
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (use == Use::read_write ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error(Errc::store, "database: cannot open " + path + ": " + msg,
                "check that the data directory exists and is writable");
  }
  sqlite3_busy_timeout(db_, 5000);
  if (use == Use::read_only) exec("PRAGMA query_only=ON");
  exec("PRAGMA journal_mode=WAL");
  // NORMAL is durable across process crashes (kill -9) in WAL mode; only power loss can drop
  // the last transactions.
  exec("PRAGMA synchronous=NORMAL");
  exec("PRAGMA foreign_keys=ON");
  // Reads map the file instead of copying pages through read calls; the page cache is the
  // kernel's, shared by every connection of the process.
  exec("PRAGMA mmap_size=1073741824");
}

Db::~Db() {
  for (auto& [sql, stmts] : idle_)
    for (auto* st : stmts) sqlite3_finalize(st);
  sqlite3_close(db_);
}

sqlite3_stmt* Db::take(const std::string& sql) {
  if (auto it = idle_.find(sql); it != idle_.end() && !it->second.empty()) {
    auto* st = it->second.back();
    it->second.pop_back();
    return st;
  }
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &st, nullptr) != SQLITE_OK)
    fail(db_, "prepare '" + sql.substr(0, 60) + "'");
  return st;
}

void Db::give_back(std::string sql, sqlite3_stmt* stmt) {
  if (!stmt) return;
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  auto it = idle_.find(sql);
  if (it == idle_.end()) {
    if (idle_.size() >= kMaxCachedSql) {
      sqlite3_finalize(stmt);
      return;
    }
    it = idle_.emplace(std::move(sql), std::vector<sqlite3_stmt*>{}).first;
  }
  it->second.push_back(stmt);
}

Db& Db::here() {
  return tl_read_for == this ? *tl_reader : *this;
}

void Db::read_through(Db* reader) {
  tl_read_for = reader ? this : nullptr;
  tl_reader = reader;
}

void Db::exec(std::string_view sql) {
  char* err = nullptr;
  std::string s(sql);
  if (sqlite3_exec(raw(), s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw Error(Errc::store, "database: " + msg);
  }
}

std::int64_t Db::last_insert_id() {
  return sqlite3_last_insert_rowid(raw());
}
int Db::changes() {
  return sqlite3_changes(raw());
}

void Db::begin_group() {
  if (group_open_) return;
  exec("BEGIN IMMEDIATE");
  group_open_ = true;
}

void Db::end_group() {
  if (!group_open_) return;
  group_open_ = false;
  try {
    exec("COMMIT");
  } catch (...) {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

// Inside an open group or another transaction, a savepoint.
Transaction::Transaction(Db& db) : db_(db.here()), nested_(!sqlite3_get_autocommit(db_.raw())) {
  db_.exec(nested_ ? "SAVEPOINT tx" : "BEGIN IMMEDIATE");
  ++db_.open_transactions_;
}

Transaction::~Transaction() {
  if (!done_) {
    --db_.open_transactions_;
    try {
      db_.exec(nested_ ? "ROLLBACK TO tx; RELEASE tx" : "ROLLBACK");
    } catch (...) {
      // Nothing more can be done while unwinding; SQLite rolls back on close anyway.
    }
  }
}

void Transaction::commit() {
  db_.exec(nested_ ? "RELEASE tx" : "COMMIT");
  done_ = true;
  --db_.open_transactions_;
}

}  // namespace tseeder::store
