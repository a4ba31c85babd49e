#include "piece_hashes.h"

#include <gtest/gtest.h>

#include <string>

namespace tseeder::engine_libtorrent {
namespace {

// Pieces of 8 bytes over 20 bytes: the last piece has 4.
class PieceHashesTest : public ::testing::Test {
 protected:
  void SetUp() override { hashes_.add_storage(3, {20, 8}); }
  void put(int piece, int offset, const std::string& s) { hashes_.written(3, piece, offset, {s.data(), s.size()}); }
  static lt::sha1_hash sha1(const std::string& s) { return lt::hasher(s.data(), static_cast<int>(s.size())).final(); }
  PieceHashes hashes_;
};

TEST_F(PieceHashesTest, InOrderBlocksGiveThePieceHashOnce) {
  put(0, 0, "abcd");
  put(0, 4, "efgh");
  EXPECT_EQ(hashes_.take(3, 0), sha1("abcdefgh"));
  EXPECT_EQ(hashes_.take(3, 0), std::nullopt);
  EXPECT_EQ(hashes_.pending(), 0u);
}

TEST_F(PieceHashesTest, ShortLastPiece) {
  put(2, 0, "wxyz");
  EXPECT_EQ(hashes_.take(3, 2), sha1("wxyz"));
}

TEST_F(PieceHashesTest, IncompleteOrOutOfOrderPiecesAreUnknown) {
  put(0, 0, "abcd");
  EXPECT_EQ(hashes_.take(3, 0), std::nullopt);
  put(1, 4, "efgh");
  put(1, 0, "abcd");
  EXPECT_EQ(hashes_.take(3, 1), std::nullopt);
  put(0, 0, "abcd");
  put(0, 0, "abcd");  // written twice: what is on disk is no longer what was hashed in order
  put(0, 4, "efgh");
  EXPECT_EQ(hashes_.take(3, 0), std::nullopt);
}

TEST_F(PieceHashesTest, SpoiledPieceIsUnknownButStillTracked) {
  put(0, 0, "abcd");
  hashes_.spoil(3, 0);
  put(0, 4, "efgh");
  EXPECT_TRUE(hashes_.tracking(3, 0));
  EXPECT_EQ(hashes_.take(3, 0), std::nullopt);
  hashes_.spoil(3, 1);  // a failed write before any block was hashed here
  EXPECT_TRUE(hashes_.tracking(3, 1));
}

TEST_F(PieceHashesTest, ClearStartsThePieceAfresh) {
  put(0, 0, "abcd");
  hashes_.clear(3, 0);
  EXPECT_FALSE(hashes_.tracking(3, 0));
  put(0, 0, "ABCD");
  put(0, 4, "EFGH");
  EXPECT_EQ(hashes_.take(3, 0), sha1("ABCDEFGH"));
}

TEST_F(PieceHashesTest, UnknownOrRemovedStorageIsIgnored) {
  hashes_.written(9, 0, 0, {"abcd", 4});
  EXPECT_EQ(hashes_.pending(), 0u);
  put(0, 0, "abcd");
  hashes_.remove_storage(3);
  EXPECT_EQ(hashes_.pending(), 0u);
  put(0, 0, "abcd");
  EXPECT_EQ(hashes_.pending(), 0u);
}

}  // namespace
}  // namespace tseeder::engine_libtorrent
