// What an event stream holds for a client is bounded: progress replaces older progress, a huge
// event goes abbreviated, a client too far behind gets an overflow event and the stream ends; the
// stored events are read a page at a time as the client takes them.
#include "handlers/sse_stream.h"

#include <gtest/gtest.h>

#include "core/json_util.h"

namespace tseeder::daemon {
namespace {

const JobId kJob{"00000000000000c1"};

struct SseStreamTest : ::testing::Test {
  boost::asio::io_context io;
  progress::ProgressHub hub;
  std::vector<store::StoredEvent> stored;
  int pages_read = 0;

  std::shared_ptr<SseStream> stream(std::int64_t after = 0, bool finished = false) {
    auto s = std::make_shared<SseStream>(io, nullptr);
    s->start(
        hub, kJob, after,
        [this](std::int64_t from, int limit) {
          ++pages_read;
          std::vector<store::StoredEvent> out;
          for (const auto& e : stored)
            if (e.seq > from && static_cast<int>(out.size()) < limit) out.push_back(e);
          return out;
        },
        std::nullopt, finished);
    return s;
  }
  // What the stream handed the writer since the last take, pulling until it has nothing more
  // right now (a pull it cannot answer yet stays with it, as the session's would).
  std::string take(SseStream& s) {
    for (;;) {
      const int before = calls_;
      s.pull([this](std::optional<std::string> chunk) {
        ++calls_;
        if (chunk)
          got_ += *chunk;
        else
          ended_ = true;
      });
      if (calls_ == before || ended_) break;
    }
    auto out = got_.substr(taken_);
    taken_ = got_.size();
    return out;
  }
  std::string got_;
  std::size_t taken_ = 0;
  int calls_ = 0;
  bool ended_ = false;
  void live(std::int64_t seq, const std::string& type, const Json& data) {
    hub.publish(progress::HubEvent{kJob, seq, type, dump_json(data), false});
  }
};

TEST_F(SseStreamTest, StoredEventsAreReadAPageAtATimeThenLiveOnes) {
  for (int i = 1; i <= 100; ++i) stored.push_back({i, "status", dump_json(Json{{"n", i}}), 0});
  auto s = stream();
  EXPECT_EQ(pages_read, 1);
  live(101, "status", {{"n", 101}});  // while replaying: it reaches the client from the store
  stored.push_back({101, "status", dump_json(Json{{"n", 101}}), 0});
  const auto text = take(*s);
  EXPECT_GT(pages_read, 3);
  EXPECT_NE(text.find("id: 1\n"), std::string::npos);
  EXPECT_NE(text.find("id: 101\n"), std::string::npos);
  EXPECT_EQ(text.find("id: 101\n"), text.rfind("id: 101\n"));  // once
  live(102, "status", {{"n", 102}});
  EXPECT_NE(take(*s).find("id: 102\n"), std::string::npos);
}

TEST_F(SseStreamTest, AHugeEventIsSentAbbreviated) {
  Json files = Json::array();
  for (int i = 0; i < 100000; ++i) files.push_back({{"index", i}, {"path", "d/f" + std::to_string(i)}, {"size", 1}});
  stored.push_back({1, "metadata_ready", dump_json(Json{{"jobId", kJob.value}, {"files", files}}), 0});
  auto s = stream();
  const auto text = take(*s);
  EXPECT_LT(text.size(), SseStream::kMaxEventBytes);
  EXPECT_NE(text.find("\"fileCount\":100000"), std::string::npos);
}

TEST_F(SseStreamTest, ASlowClientKeepsOnlyTheNewestProgressAndIsEndedWhenFarBehind) {
  auto s = stream();
  take(*s);
  for (int i = 1; i <= 1000; ++i) live(i, "progress", {{"bytesDone", i}});
  auto text = take(*s);
  EXPECT_EQ(text.find("\"bytesDone\":999"), std::string::npos);
  EXPECT_NE(text.find("\"bytesDone\":1000"), std::string::npos);
  // Events that are history (not progress) pile up until the stream gives up on the client.
  const std::string pad(1000, 'x');
  for (int i = 1001; i <= 2000; ++i) live(i, "status", {{"note", pad}});
  text = take(*s);
  EXPECT_NE(text.find("id: 1001\n"), std::string::npos);
  EXPECT_NE(text.find("event: overflow"), std::string::npos);
  // The waiting pull took the first of them; then the client stopped taking.
  EXPECT_NE(text.find("\"lastEventId\":1001"), std::string::npos);
  EXPECT_LT(text.size(), SseStream::kMaxQueuedBytes);
  EXPECT_TRUE(ended_);
}

TEST(StreamQuota, AnAccountHoldsAtMostItsLimit) {
  StreamQuota q;
  auto a = q.take("u1", 2), b = q.take("u1", 2);
  EXPECT_TRUE(a && b);
  EXPECT_FALSE(q.take("u1", 2));
  EXPECT_TRUE(q.take("u2", 2));
  a.reset();
  EXPECT_TRUE(q.take("u1", 2));
  EXPECT_TRUE(q.take("u1", 0) && q.take("u1", 0));  // no limit
}

}  // namespace
}  // namespace tseeder::daemon
