// The list queries read their order from an index: EXPLAIN QUERY PLAN of every statement a list
// call runs shows neither a full scan nor a sort (USE TEMP B-TREE), so a page costs the same
// however many rows the store holds. Statements are caught as the repositories run them.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "store/audit_repo.h"
#include "store/blocklist_repo.h"
#include "store/content_repo.h"
#include "store/db.h"
#include "store/dead_letter_repo.h"
#include "store/event_repo.h"
#include "store/file_repo.h"
#include "store/health_repo.h"
#include "store/job_repo.h"
#include "store/migrations.h"
#include "store/order_repo.h"
#include "store/payment_repo.h"
#include "store/plan_repo.h"
#include "store/search_repo.h"
#include "store/setting_repo.h"
#include "store/staff_job_repo.h"
#include "store/usage_repo.h"
#include "store/user_repo.h"
#include "temp_db.h"

namespace tseeder::store {
namespace {

class QueryPlansTest : public TempDbTest {
 protected:
  // The SQL of every statement `call` runs.
  std::vector<std::string> statements_of(const std::function<void()>& call) {
    std::vector<std::string> seen;
    sqlite3_trace_v2(
        db_->raw(), SQLITE_TRACE_STMT,
        [](unsigned, void* ctx, void* stmt, void*) {
          const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(stmt));
          if (sql) static_cast<std::vector<std::string>*>(ctx)->push_back(sql);
          return 0;
        },
        &seen);
    call();
    sqlite3_trace_v2(db_->raw(), 0, nullptr, nullptr);
    return seen;
  }

  std::vector<std::string> plan_of(const std::string& sql) {
    std::vector<std::string> details;
    auto q = db_->prepare("EXPLAIN QUERY PLAN " + sql);
    while (q.step()) details.push_back(q.text(3));
    return details;
  }

  // Every statement `call` runs is served by an index, in the index's order.
  void expect_indexed(const std::string& what, const std::function<void()>& call) {
    const auto sqls = statements_of(call);
    ASSERT_FALSE(sqls.empty()) << what;
    for (const auto& sql : sqls) {
      for (const auto& step : plan_of(sql)) {
        if (step.rfind("SCAN json_each", 0) == 0) continue;  // the caller's own list, not stored rows
        EXPECT_NE(step.rfind("SCAN", 0), 0u) << what << ": a full scan in " << sql << "\n  " << step;
        EXPECT_EQ(step.find("TEMP B-TREE"), std::string::npos) << what << ": a sort in " << sql << "\n  " << step;
      }
    }
  }
};

TEST_F(QueryPlansTest, JobLists) {
  JobRepo jobs(*db_);
  const Cursor cursor{1000, "0123456789abcdef"};
  for (bool with_status : {false, true}) {
    for (bool with_cursor : {false, true}) {
      JobListQuery q;
      q.user_id = UserId{"u1"};
      if (with_status) q.status = jobs::JobState::completed;
      if (with_cursor) q.after = cursor;
      const std::string what = std::string("jobs") + (with_status ? " by status" : "") + (with_cursor ? " after" : "");
      expect_indexed(what, [&] { jobs.list(q); });
      expect_indexed(what + " count", [&] { jobs.count(q); });
    }
  }
  expect_indexed("one job", [&] { jobs.find(JobId{"0123456789abcdef"}); });
  expect_indexed("jobs by id prefix", [&] { jobs.with_id_prefix(UserId{"u1"}, "01ab", 2); });
  expect_indexed("jobs by id prefix count", [&] { jobs.count_id_prefix(UserId{"u1"}, "01ab"); });
}

// Dedup's lookups by content seek through the content and infohash indexes: they may sort the
// handful of jobs of one content, never walk every job.
// Staff's list of every user's jobs: each filter leads with its own index, in the list's order;
// with no filter the newest jobs are read from jobs_by_created until the page is full; an agent's
// jobs come from its assignments.
TEST_F(QueryPlansTest, StaffJobLists) {
  StaffJobRepo repo(*db_);
  for (int filter = 0; filter < 5; ++filter) {
    for (bool with_cursor : {false, true}) {
      StaffJobQuery q;
      if (filter == 1) q.user = UserId{"u1"};
      if (filter == 2) q.status = jobs::JobState::downloading;
      if (filter == 3) q.engine = "engine-http";
      if (filter == 4) q.agent = "a1";
      q.created_before_ms = 5000;
      if (with_cursor) q.after = Cursor{1000, "0123456789abcdef"};
      const auto what = "staff jobs, filter " + std::to_string(filter) + (with_cursor ? " after" : "");
      for (const auto& sql : statements_of([&] { repo.list(q); })) {
        const auto steps = plan_of(sql);
        if (filter == 4) {
          // One agent's jobs come from its assignments (at most its max_jobs), sorted: a bounded sort.
          EXPECT_NE(std::find_if(steps.begin(), steps.end(),
                                 [](const std::string& s) {
                                   return s.find("USING INDEX fleet_assignments_by_agent") != std::string::npos;
                                 }),
                    steps.end())
              << what << ": " << sql;
          continue;
        }
        for (const auto& step : steps) {
          EXPECT_EQ(step.find("TEMP B-TREE"), std::string::npos) << what << ": a sort in " << sql << "\n  " << step;
          if (step.rfind("SCAN", 0) == 0) {
            EXPECT_NE(step.find(" USING INDEX jobs_by_created"), std::string::npos)
                << what << ": a scan not in the list's order in " << sql << "\n  " << step;
          }
        }
      }
    }
  }
}

// Staff search reads indexes only: no statement walks the audit log, the jobs or the accounts.
// (Results are sorted after: each lookup is bounded by its page.)
TEST_F(QueryPlansTest, StaffSearch) {
  SearchRepo repo(*db_);
  const std::vector<std::pair<std::string, std::function<void()>>> calls = {
      {"users", [&] { repo.users("0123456789abcdef", 20, std::nullopt); }},
      {"users after", [&] { repo.users("alice", 20, std::string("alice@example.com")); }},
      {"jobs", [&] { repo.jobs("ab12", 20, std::nullopt); }},
      {"jobs by text",
       [&] {
         repo.jobs("holiday photos", 20, Cursor{1000, "0123456789abcdef"});
       }},
      {"audit", [&] { repo.audit("job.terminate", 20, std::nullopt); }},
      {"audit before", [&] { repo.audit("0123456789abcdef", 20, 500); }},
  };
  for (const auto& [what, call] : calls) {
    for (const auto& sql : statements_of(call)) {
      // FTS5 reads its own few-row config table when it opens the index after a schema change.
      if (sql.find("'main'.'jobs_text_config'") != std::string::npos) continue;
      for (const auto& step : plan_of(sql)) {
        if (step.rfind("SCAN", 0) != 0) continue;
        EXPECT_NE(step.find("VIRTUAL TABLE"), std::string::npos)
            << what << ": a full scan in " << sql << "\n  " << step;
      }
    }
  }
}

TEST_F(QueryPlansTest, ConfigHistory) {
  SettingRepo repo(*db_);
  const std::vector<std::pair<std::string, std::function<void()>>> calls = {
      {"all", [&] { repo.history(std::nullopt, 100, 50); }},
      {"one key and those under it", [&] { repo.history(std::string("plan.pro"), 100, 50); }},
      {"between", [&] { repo.between(10, 20, 1000); }},
      {"latest", [&] { repo.latest_version(); }},
  };
  for (const auto& [what, call] : calls)
    for (const auto& sql : statements_of(call))
      for (const auto& step : plan_of(sql))
        EXPECT_FALSE(step.rfind("SCAN setting_changes", 0) == 0 && step.find("USING") == std::string::npos &&
                     what != "all")
            << what << ": a full scan in " << sql << "\n  " << step;
}

TEST_F(QueryPlansTest, CryptoOrders) {
  OrderRepo orders(*db_);
  PlanRepo plans(*db_);
  PaymentRepo payments(*db_);
  const std::vector<std::pair<std::string, std::function<void()>>> calls = {
      {"a user's",
       [&] {
         orders.list({std::string("u1"), std::nullopt, 50, Cursor{5, "x"}});
       }},
      {"a status",
       [&] {
         orders.list({std::nullopt, std::string("pending"), 50, std::nullopt});
       }},
      {"pending amounts", [&] { orders.pending_amounts("bitcoin", "bc1q"); }},
      {"due to expire", [&] { orders.due_to_expire(1000, 500); }},
      {"paid by", [&] { orders.paid_by("bitcoin", "ab"); }},
      {"lapsed", [&] { plans.lapsed(1000, 200); }},
      {"pending for an amount", [&] { orders.pending_for("bitcoin", "bc1q", "5000"); }},
      {"ended for an amount", [&] { orders.ended_for("bitcoin", "bc1q", "5000", 1000); }},
      {"pending at an address", [&] { orders.pending_at("bitcoin", "bc1q"); }},
      {"watched addresses", [&] { orders.watched_addresses(1000); }},
      {"a payment", [&] { payments.find("bitcoin", "ab"); }},
      {"payments", [&] { payments.list(std::nullopt, 50); }},
      {"payments by outcome", [&] { payments.list(std::string("late"), 50); }},
  };
  for (const auto& [what, call] : calls)
    for (const auto& sql : statements_of(call))
      for (const auto& step : plan_of(sql))
        EXPECT_FALSE(step.rfind("SCAN", 0) == 0 && step.find("USING") == std::string::npos)
            << what << ": a full scan in " << sql << "\n  " << step;
}

TEST_F(QueryPlansTest, MetricsCountJobsFromAnIndexAlone) {
  HealthRepo repo(*db_);
  for (const auto& sql : statements_of([&] { repo.jobs_by_state(); })) {
    bool covered = false;
    for (const auto& step : plan_of(sql))
      covered |= step.find("COVERING INDEX jobs_by_status_engine") != std::string::npos;
    EXPECT_TRUE(covered) << sql;
  }
}

TEST_F(QueryPlansTest, ContentLookups) {
  JobRepo jobs(*db_);
  const JobId except{"0123456789abcdef"};
  const std::vector<std::pair<std::string, std::function<void()>>> calls = {
      {"stored", [&] { jobs.stored_content("key", except); }},
      {"running", [&] { jobs.running_content("key", except); }},
      {"with", [&] { jobs.with_content("key", jobs::kRunningStates); }},
  };
  for (const auto& [what, call] : calls) {
    for (const auto& sql : statements_of(call)) {
      const auto steps = plan_of(sql);
      for (const auto& step : steps)
        EXPECT_NE(step.rfind("SCAN", 0), 0u) << what << ": a full scan in " << sql << "\n  " << step;
      EXPECT_NE(std::find(steps.begin(), steps.end(), "MULTI-INDEX OR"), steps.end()) << what << ": " << sql;
    }
  }
}

// The disk guard's sum over running downloads seeks them by status and each one's files by job:
// its cost follows the downloads running, not the jobs held.
TEST_F(QueryPlansTest, BytesStillComing) {
  expect_indexed("still coming", [&] { UsageRepo(*db_).still_coming(JobId{"0123456789abcdef"}); });
  expect_indexed("one job's", [&] { UsageRepo(*db_).still_to_fetch(JobId{"0123456789abcdef"}); });
}

// A job's file list and its timeline page by position within the job.
TEST_F(QueryPlansTest, PerJobLists) {
  const JobId job{"0123456789abcdef"};
  expect_indexed("files", [&] { ContentRepo(*db_).page(job, 10, 100); });
  expect_indexed("stored among a page", [&] { FileRepo(*db_).with_paths(job, {"a", "b"}); });
  expect_indexed("events", [&] { EventRepo(*db_).after(job, 10, 100); });
}

TEST_F(QueryPlansTest, StaffLists) {
  const std::optional<Cursor> none;
  const std::optional<Cursor> cursor = Cursor{1000, "0123456789abcdef"};
  for (const auto& after : {none, cursor}) {
    for (bool search : {false, true}) {
      for (bool by_role : {false, true}) {
        UserListQuery q;
        if (search) q.email_contains = "example";
        if (by_role) q.role = auth::Role::support;
        q.after = after;
        expect_indexed("users", [&] { UserRepo(*db_).list(q); });
      }
    }
    expect_indexed("dead letters", [&] { DeadLetterRepo(*db_).list(100, after); });
    expect_indexed("blocklist", [&] { BlocklistRepo(*db_).list(100, after); });
  }
  AuditQuery everything;
  AuditQuery by_actor;
  by_actor.actor_id = "u1";
  AuditQuery by_action;
  by_action.action = "auth.login";
  AuditQuery by_family;
  by_family.action = "auth.";
  AuditQuery by_target;
  by_target.target = "job:0123456789abcdef";
  AuditQuery by_time;
  by_time.since = "2026-11-01";
  by_time.until = "2026-12-01";
  by_time.before_id = 500;
  AuditQuery by_actor_and_action = by_actor;
  by_actor_and_action.action = "job.create";
  for (const auto* q : {&everything, &by_actor, &by_action, &by_family, &by_target, &by_time, &by_actor_and_action})
    expect_indexed("audit", [&] { AuditRepo(*db_).query(*q); });
}

TEST_F(QueryPlansTest, JobPagesFollowTheCursorThroughTies) {
  JobRepo jobs(*db_);
  // Seven jobs, several created in the same millisecond: pages of two meet each exactly once.
  const std::vector<std::int64_t> times{1000, 1000, 1000, 2000, 2000, 3000, 4000};
  for (std::size_t i = 0; i < times.size(); ++i) {
    jobs::Job j;
    j.id = JobId{std::string(15, '0') + std::to_string(i)};
    j.user_id = UserId{"u1"};
    j.source_kind = "url";
    j.source = "http://x/" + std::to_string(i);
    j.created_at_ms = j.updated_at_ms = times[i];
    jobs.insert(j);
  }
  JobListQuery q;
  q.user_id = UserId{"u1"};
  q.limit = 2;
  std::vector<std::string> seen;
  for (int page = 0; page < 10; ++page) {
    auto rows = jobs.list(q);
    for (const auto& j : rows) seen.push_back(j.id.value);
    if (rows.size() < 2) break;
    q.after = Cursor{rows.back().created_at_ms, rows.back().id.value};
  }
  const std::vector<std::string> newest_first{"0000000000000006", "0000000000000005", "0000000000000004",
                                              "0000000000000003", "0000000000000002", "0000000000000001",
                                              "0000000000000000"};
  EXPECT_EQ(seen, newest_first);
  q.after.reset();
  EXPECT_EQ(jobs.count(q), 7);
}

}  // namespace
}  // namespace tseeder::store
