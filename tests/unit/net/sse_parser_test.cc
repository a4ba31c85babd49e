#include "net/sse_parser.h"

#include <gtest/gtest.h>

#include <vector>

namespace tseeder::net {
namespace {

std::vector<SseEvent> parse_in_pieces(const std::string& text, std::size_t piece) {
  SseParser p;
  std::vector<SseEvent> out;
  for (std::size_t i = 0; i < text.size(); i += piece)
    p.feed(std::string_view(text).substr(i, piece), [&](const SseEvent& e) { out.push_back(e); });
  return out;
}

TEST(SseParser, EventsAcrossArbitrarySplits) {
  const std::string text =
      "id: 1\nevent: status\ndata: {\"a\":1}\n\n: keepalive\n\nevent: progress\ndata: x\r\ndata: y\r\n\r\n";
  for (std::size_t piece : {1, 2, 3, 7, 1000}) {
    auto ev = parse_in_pieces(text, piece);
    ASSERT_EQ(ev.size(), 2u) << piece;
    EXPECT_EQ(ev[0].id, "1");
    EXPECT_EQ(ev[0].event, "status");
    EXPECT_EQ(ev[0].data, "{\"a\":1}");
    EXPECT_EQ(ev[1].id, "");
    EXPECT_EQ(ev[1].event, "progress");
    EXPECT_EQ(ev[1].data, "x\ny");
  }
}

TEST(SseParser, UnnamedEventIsMessageAndIncompleteIsHeld) {
  auto ev = parse_in_pieces("data: hi\n\ndata: partial\n", 4);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].event, "message");
}

}  // namespace
}  // namespace tseeder::net
