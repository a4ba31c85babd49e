// Fills a tseederd store with jobs through the store's own code, for the API benchmarks:
//   store_fill DB --jobs N --users U [--queued Q] [--owner EMAIL] [--source-base URL]
// U accounts (bench-0001@bench.invalid, …; with --owner, that existing account is the first of
// them) each get an equal share of N jobs, created over the last 30 days: completed ones with a
// stored file and their status events, and Q of them (the newest) queued with a queue message.
// Sources are URL-BASE?n=K (by default under example.invalid).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/ids.h"
#include "store/db.h"
#include "store/event_repo.h"
#include "store/file_repo.h"
#include "store/job_repo.h"
#include "store/migrations.h"
#include "store/plan_repo.h"
#include "store/queue_repo.h"
#include "store/user_repo.h"

namespace {

using namespace tseeder;

struct Options {
  std::string db;
  long jobs = 1'000'000;
  long users = 1'000;
  long queued = 0;
  std::string owner;
  std::string source_base = "https://example.invalid/files/";
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(
      stderr,
      "store_fill: %s\nusage: store_fill DB --jobs N --users U [--queued Q] [--owner EMAIL] [--source-base URL]\n",
      why);
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value for " + a).c_str());
      return argv[++i];
    };
    if (a == "--jobs")
      o.jobs = std::atol(value().c_str());
    else if (a == "--users")
      o.users = std::atol(value().c_str());
    else if (a == "--queued")
      o.queued = std::atol(value().c_str());
    else if (a == "--owner")
      o.owner = value();
    else if (a == "--source-base")
      o.source_base = value();
    else if (o.db.empty() && !a.starts_with("-"))
      o.db = a;
    else
      usage(("unknown argument " + a).c_str());
  }
  if (o.db.empty()) usage("no database path");
  if (o.jobs < 1 || o.users < 1 || o.queued < 0 || o.queued > o.jobs)
    usage("need jobs >= 1, users >= 1, 0 <= queued <= jobs");
  return o;
}

std::vector<UserId> make_users(store::Db& db, const Options& o, std::int64_t now) {
  store::UserRepo users(db);
  std::vector<UserId> ids;
  if (!o.owner.empty()) {
    auto owner = users.find_by_email(o.owner);
    if (!owner) usage(("no account " + o.owner).c_str());
    ids.push_back(owner->id);
    store::PlanRepo(db).assign(owner->id, "enterprise", now);  // no retention sweep of its old jobs
  }
  store::Transaction tx(db);
  for (long i = static_cast<long>(ids.size()); i < o.users; ++i) {
    auth::User u;
    u.id = UserId{random_hex_id()};
    char email[64];
    std::snprintf(email, sizeof email, "bench-%04ld@bench.invalid", i);
    u.email = email;
    u.plan = "enterprise";
    u.email_verified = true;
    u.created_at_ms = u.updated_at_ms = now - 31LL * 86'400'000 + i;
    users.insert(u);
    ids.push_back(u.id);
  }
  tx.commit();
  return ids;
}

}  // namespace

int main(int argc, char** argv) try {
  const Options o = parse(argc, argv);
  store::Db db(o.db);
  store::migrate_up(db);
  // Random job ids land all over the indexes: without a large cache every insert reads pages.
  db.exec("PRAGMA cache_size=-1048576");
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  const auto users = make_users(db, o, now);
  const std::int64_t span_ms = 30LL * 86'400'000;
  store::JobRepo jobs(db);
  store::EventRepo events(db);
  store::FileRepo files(db);
  store::QueueRepo queue(db);
  const auto t0 = std::chrono::steady_clock::now();
  constexpr long kBatch = 20'000;
  for (long done = 0; done < o.jobs;) {
    store::Transaction tx(db);
    for (long end = std::min(o.jobs, done + kBatch); done < end; ++done) {
      jobs::Job j;
      j.id = new_job_id();
      j.user_id = users[static_cast<std::size_t>(done % o.users)];
      j.source_kind = "url";
      j.source = o.source_base + "?n=" + std::to_string(done);
      j.name = std::to_string(done) + ".bin";
      j.created_at_ms = now - span_ms + span_ms * done / o.jobs;
      const bool queued = done >= o.jobs - o.queued;
      j.status = queued ? jobs::JobState::queued : jobs::JobState::submitted;
      jobs.insert(j);
      events.append(j.id, "status", R"({"status":"submitted"})", j.created_at_ms);
      if (queued) {
        queue.enqueue(j.id, j.user_id.value + ":" + j.id.value, j.created_at_ms, j.created_at_ms);
        continue;
      }
      jobs.set_engine(j.id, "http", j.created_at_ms);
      files.insert({0, j.id, *j.name, 1'048'576, "jobs/" + j.id.value + "/" + *j.name}, j.created_at_ms + 1000);
      const auto seq = jobs.set_status(j.id, jobs::JobState::completed, std::nullopt, j.created_at_ms + 1000);
      events.add(j.id, seq, "status", R"({"status":"completed"})", j.created_at_ms + 1000);
    }
    tx.commit();
    std::fprintf(stderr, "\rstore_fill: %ld of %ld jobs", done, o.jobs);
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fprintf(stderr, "\nstore_fill: %ld jobs of %ld accounts (%ld queued) in %.1f s\n", o.jobs, o.users, o.queued, s);
  return 0;
} catch (const tseeder::Error& e) {
  std::fprintf(stderr, "store_fill: %s\n", e.what());
  return 1;
}
