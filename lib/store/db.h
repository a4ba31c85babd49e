// RAII wrapper over one SQLite connection; every SQLite error becomes Error(Errc::store).
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace tseeder::store {

class Db;

// A prepared statement borrowed from its Db's cache: reset and handed back when destroyed, so
// a statement is parsed once per connection rather than once per call.
class Stmt {
 public:
  Stmt(Db& db, std::string_view sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int idx, std::int64_t v);
  Stmt& bind(int idx, std::string_view v);
  Stmt& bind(int idx, const char* v) { return bind(idx, std::string_view(v)); }
  Stmt& bind(int idx, const std::string& v) { return bind(idx, std::string_view(v)); }
  Stmt& bind_null(int idx);
  Stmt& bind(int idx, const std::optional<std::string>& v) { return v ? bind(idx, *v) : bind_null(idx); }
  Stmt& bind(int idx, const std::optional<std::int64_t>& v) { return v ? bind(idx, *v) : bind_null(idx); }

  bool step();  // true while a row is available
  void run();   // step to completion, for statements without rows
  void reset();

  std::int64_t int64(int col) const;
  std::string text(int col) const;
  std::optional<std::string> opt_text(int col) const;
  std::optional<std::int64_t> opt_int64(int col) const;
  bool is_null(int col) const;

 private:
  Db& owner_;
  std::string sql_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Db {
 public:
  enum class Use { read_write, read_only };
  // Opens (creating if needed) in WAL mode with foreign keys on and a busy timeout. A read-only
  // connection refuses every change (PRAGMA query_only).
  explicit Db(const std::string& path, Use use = Use::read_write);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(std::string_view sql);
  Stmt prepare(std::string_view sql) { return Stmt(*this, sql); }
  std::int64_t last_insert_id();
  int changes();
  sqlite3* raw() { return here().db_; }
  const std::string& path() const { return path_; }

  // Grouped commits: while a group is open every write joins it (a Transaction becomes a
  // savepoint that undoes only its own part on failure), and end_group() commits them all with
  // one write of the log. A group failing to commit is rolled back whole and throws.
  bool group_open() const { return group_open_; }
  void begin_group();
  void end_group();
  // Frequent writes no caller waits on (progress) ask to join the current group: `open` (the
  // daemon's) opens one to be committed at the end of the loop's turn. Before work whose effects
  // outlive a crash starts (an engine, a scan, files removed), commit_group() commits the group
  // now through `commit`, so a restart finds the state that work began in. Without hooks both do
  // nothing and writes commit on their own.
  void set_group_hooks(std::function<void()> open, std::function<void()> commit) {
    group_opener_ = std::move(open);
    group_committer_ = std::move(commit);
  }
  void join_group() {
    if (group_opener_ && !reading_elsewhere()) group_opener_();
  }
  void commit_group() {  // not inside a transaction: that one ends first
    if (group_open_ && open_transactions_ == 0 && group_committer_ && !reading_elsewhere()) group_committer_();
  }

  // Reader threads (ReadPool): while `reader` reads for this Db on the calling thread, every
  // statement made through this Db runs on `reader` instead; null ends it. Code written against
  // the one Db reads concurrently without knowing, and a write there fails (read-only).
  void read_through(Db* reader);

 private:
  friend class Stmt;
  friend class Transaction;
  Db& here();  // the connection this thread uses for this Db
  bool reading_elsewhere() { return &here() != this; }
  sqlite3_stmt* take(const std::string& sql);
  void give_back(std::string sql, sqlite3_stmt* stmt);

  sqlite3* db_ = nullptr;
  std::string path_;
  // Idle prepared statements by SQL text; a statement in use is not here, so the same SQL may
  // run nested (a list walked while each row is looked up again).
  std::unordered_map<std::string, std::vector<sqlite3_stmt*>> idle_;
  bool group_open_ = false;
  int open_transactions_ = 0;
  std::function<void()> group_opener_;
  std::function<void()> group_committer_;
};

// BEGIN IMMEDIATE … COMMIT, or a savepoint inside an open group; rolls back (its own part)
// when destroyed without commit().
class Transaction {
 public:
  explicit Transaction(Db& db);
  ~Transaction();
  void commit();

 private:
  Db& db_;
  bool nested_;
  bool done_ = false;
};

}  // namespace tseeder::store
