#include "verdict.h"

#include <gtest/gtest.h>

namespace tseeder::clamav {
namespace {

TEST(ClamavVerdict, CleanInfectedAndErrorReplies) {
  EXPECT_EQ(parse_result_text("OK").kind, TSEEDER_SCAN_CLEAN);
  EXPECT_EQ(parse_result_text("OK\n").kind, TSEEDER_SCAN_CLEAN);

  auto found = parse_result_text("Win.Test.EICAR_HDB-1 FOUND");
  EXPECT_EQ(found.kind, TSEEDER_SCAN_INFECTED);
  EXPECT_EQ(found.detail, "Win.Test.EICAR_HDB-1");

  auto limit = parse_result_text("INSTREAM size limit exceeded. ERROR");
  EXPECT_EQ(limit.kind, TSEEDER_SCAN_ERROR);
  EXPECT_EQ(limit.detail, "INSTREAM size limit exceeded.");

  auto empty = parse_result_text("");
  EXPECT_EQ(empty.kind, TSEEDER_SCAN_ERROR);
  EXPECT_FALSE(empty.detail.empty());
}

TEST(ClamavVerdict, AnUnnamedFindingStillCountsAsInfected) {
  auto v = parse_result_text(" FOUND");
  EXPECT_EQ(v.kind, TSEEDER_SCAN_INFECTED);
  EXPECT_FALSE(v.detail.empty());
}

}  // namespace
}  // namespace tseeder::clamav
