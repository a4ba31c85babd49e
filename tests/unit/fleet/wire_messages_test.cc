// Messages from the other side of the wire are untrusted: a wrong shape or value is one clear
// Error(invalid_argument), and ids and tokens must look like the ones the controller makes.
#include "fleet/wire_messages.h"

#include <gtest/gtest.h>

#include "storage/storage_backend.h"

namespace tseeder::fleet {
namespace {

const std::string kJob = "0123456789abcdef";
const std::string kToken = "fedcba9876543210";

Json event(const std::string& job, const std::string& token, Json data = Json::object()) {
  return {{"seq", 1}, {"jobId", job}, {"token", token}, {"type", "progress"}, {"data", std::move(data)}};
}

void expect_refused(const Json& j) {
  try {
    decode_message("events", [&] { return wire_event_from(j); });
    ADD_FAILURE() << "accepted " << j.dump();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::invalid_argument) << j.dump();
    EXPECT_NE(e.message().find("fleet message 'events' is malformed"), std::string::npos) << e.message();
  }
}

TEST(WireMessages, EventsRoundTrip) {
  WireEvent e{7, JobId{kJob}, kToken, "progress", Json{{"done", 1}}};
  const auto back = wire_event_from(to_json(e));
  EXPECT_EQ(back.seq, 7);
  EXPECT_EQ(back.job, e.job);
  EXPECT_EQ(back.token, kToken);
  EXPECT_EQ(back.data, e.data);
}

TEST(WireMessages, EventsNeedAJobIdATokenAndObjectData) {
  expect_refused(event("../../etc", kToken));
  expect_refused(event(std::string(5000, 'a'), kToken));
  expect_refused(event(kJob, "not-a-token"));
  expect_refused(event(kJob, kToken + kToken));
  expect_refused(event(kJob, kToken, Json::array()));
  expect_refused(Json{{"seq", "1"}, {"jobId", kJob}, {"token", kToken}, {"type", "x"}, {"data", Json::object()}});
}

TEST(WireMessages, AssignmentsNeedAJobIdAndAToken) {
  Assignment a;
  a.job = JobId{kJob};
  a.owner = UserId{"local"};
  a.token = kToken;
  a.engine = "engine-http";
  a.source_kind = "url";
  a.source = "http://127.0.0.1/x";
  EXPECT_EQ(assignment_from(to_json(a)).token, kToken);
  Json bad = to_json(a);
  bad["token"] = "x";
  EXPECT_THROW(decode_message("assignment", [&] { return assignment_from(bad); }), Error);
}

TEST(WireMessages, StoredFilesMustBeObjectsOfTheirJob) {
  const UserId owner{"0123456789abcdef"};
  const JobId job{kJob};
  const Json ok{{"ok", true},
                {"error", ""},
                {"retryable", false},
                {"files", {{{"path", "a.bin"}, {"size", 1}, {"key", storage::object_key(owner, job, "a.bin")}}}}};
  EXPECT_EQ(store_outcome_from(ok, job, owner).stored.size(), 1u);
  Json other = ok;
  other["files"][0]["key"] = storage::object_key(UserId{"fedcba9876543210"}, job, "a.bin");
  EXPECT_THROW(decode_message("stored", [&] { return store_outcome_from(other, job, owner); }), Error);
}

}  // namespace
}  // namespace tseeder::fleet
