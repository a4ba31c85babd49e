#include "threaded_disk_io.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <libtorrent/disk_buffer_holder.hpp>
#include <libtorrent/disk_observer.hpp>
#include <libtorrent/file_storage.hpp>
#include <libtorrent/hasher.hpp>
#include <libtorrent/settings_pack.hpp>
#include <random>
#include <string>
#include <vector>

namespace tseeder::engine_libtorrent {
namespace {

namespace fs = std::filesystem;
constexpr int kBlock = 16 * 1024;
constexpr int kPiece = 4 * kBlock;

struct Observer final : lt::disk_observer {
  int woken = 0;
  void on_disk() override { ++woken; }
};

// One disk I/O instance over a temp dir, driven like libtorrent drives it: every call and every
// answer on the test's thread, which plays the network thread.
class ThreadedDiskIoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tseeder-diskio-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    settings_.set_int(lt::settings_pack::max_queued_disk_bytes, 1 << 20);
    disk_ = threaded_disk_io_constructor(ios_, settings_, counters_);
  }
  void TearDown() override {
    storage_ = {};
    disk_->abort(true);
    disk_.reset();
    fs::remove_all(dir_);
  }

  // Two files of 5 and 3 blocks in pieces of 4 blocks: piece 1 spans both files.
  void open(std::vector<lt::download_priority_t> prio = {}) {
    files_.add_file("t/a.bin", 5 * kBlock);
    files_.add_file("t/b.bin", 3 * kBlock);
    files_.set_piece_length(kPiece);
    files_.set_num_pieces(2);
    data_.resize(8 * kBlock);
    std::mt19937 rng(7);
    for (auto& c : data_) c = static_cast<char>(rng());
    prio_.assign(prio.begin(), prio.end());
    const std::string path = dir_.string();
    storage_ =
        disk_->new_torrent(lt::storage_params(files_, nullptr, path, lt::storage_mode_sparse, prio_, {}), owner_);
    bool checked = false;
    disk_->async_check_files(storage_, nullptr, {}, [&](lt::status_t, const lt::storage_error& e) {
      EXPECT_FALSE(e) << e.ec.message();
      checked = true;
    });
    wait([&] { return checked; });
    if (prio.empty()) return;
    // As libtorrent does right after it makes the storage (posix_storage ignores prio_).
    bool set = false;
    disk_->async_set_file_priority(storage_, prio_, [&](const lt::storage_error& e, auto) {
      EXPECT_FALSE(e) << e.ec.message();
      set = true;
    });
    wait([&] { return set; });
  }

  bool write(int piece, int block, std::shared_ptr<lt::disk_observer> o = nullptr, bool submit = true) {
    const lt::peer_request r{lt::piece_index_t{piece}, block * kBlock, kBlock};
    const char* src = data_.data() + piece * kPiece + block * kBlock;
    ++pending_;
    const bool full = disk_->async_write(storage_, r, src, std::move(o), [this](const lt::storage_error& e) {
      EXPECT_FALSE(e) << e.ec.message();
      --pending_;
    });
    if (submit) disk_->submit_jobs();
    return full;
  }

  lt::sha1_hash hash(int piece) {
    lt::sha1_hash out;
    bool done = false;
    disk_->async_hash(storage_, lt::piece_index_t{piece}, {}, lt::disk_interface::v1_hash,
                      [&](lt::piece_index_t, const lt::sha1_hash& h, const lt::storage_error& e) {
                        EXPECT_FALSE(e) << e.ec.message();
                        out = h;
                        done = true;
                      });
    wait([&] { return done && pending_ == 0; });
    return out;
  }

  lt::sha1_hash expected(int piece) const { return lt::hasher(data_.data() + piece * kPiece, kPiece).final(); }

  std::string on_disk(const std::string& name) const {
    std::ifstream in(dir_ / name, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }

  template <typename Pred>
  void wait(Pred done) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done() && std::chrono::steady_clock::now() < until) {
      ios_.restart();
      ios_.run_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(done()) << "no answer from the disk thread in 10 s";
  }

  fs::path dir_;
  lt::io_context ios_;
  lt::settings_pack settings_;
  lt::counters counters_;
  std::unique_ptr<lt::disk_interface> disk_;
  lt::file_storage files_;
  lt::aux::vector<lt::download_priority_t, lt::file_index_t> prio_;
  std::shared_ptr<void> owner_ = std::make_shared<int>(0);
  lt::storage_holder storage_;
  std::vector<char> data_;
  int pending_ = 0;
};

TEST_F(ThreadedDiskIoTest, PieceWrittenInOrderIsHashedFromItsBlocksWithoutReadingBack) {
  open();
  for (int b = 0; b < 4; ++b) write(0, b);
  wait([&] { return pending_ == 0; });
  ASSERT_EQ(on_disk("t/a.bin").substr(0, kPiece), std::string(data_.data(), kPiece));
  // Spoil the file behind the storage's back: a hash of the written blocks does not see it.
  { std::ofstream(dir_ / "t/a.bin", std::ios::binary | std::ios::in) << "spoiled"; }
  EXPECT_EQ(hash(0), expected(0));
}

// Which thread hashes is not visible from outside; this covers the caller's-thread path.
TEST_F(ThreadedDiskIoTest, PieceBegunWhileTheDiskLagsIsStillHashedFromItsBlocks) {
  open();
  // 320 KiB waiting for the disk thread (unsubmitted) is more than a quarter of the queue.
  for (int i = 0; i < 20; ++i) write(1, i % 4, nullptr, false);
  for (int b = 0; b < 4; ++b) write(0, b, nullptr, false);
  disk_->submit_jobs();
  wait([&] { return pending_ == 0; });
  { std::ofstream(dir_ / "t/a.bin", std::ios::binary | std::ios::in) << "spoiled"; }
  EXPECT_EQ(hash(0), expected(0));
}

TEST_F(ThreadedDiskIoTest, PieceWrittenOutOfOrderIsReadBack) {
  open();
  for (int b : {1, 0, 2, 3}) write(0, b);
  wait([&] { return pending_ == 0; });
  EXPECT_EQ(hash(0), expected(0));
  for (int b : {1, 0, 2, 3}) write(0, b);
  wait([&] { return pending_ == 0; });
  { std::ofstream(dir_ / "t/a.bin", std::ios::binary | std::ios::in) << "spoiled"; }
  EXPECT_NE(hash(0), expected(0));
}

TEST_F(ThreadedDiskIoTest, PieceAcrossTwoFilesLandsInBoth) {
  open();
  for (int b = 0; b < 4; ++b) write(1, b);
  EXPECT_EQ(hash(1), expected(1));
  EXPECT_EQ(on_disk("t/a.bin").substr(4 * kBlock), std::string(data_.data() + 4 * kBlock, kBlock));
  EXPECT_EQ(on_disk("t/b.bin"), std::string(data_.data() + 5 * kBlock, 3 * kBlock));
}

TEST_F(ThreadedDiskIoTest, ClearedPieceIsHashedFromWhatIsWrittenNext) {
  open();
  for (int b = 0; b < 4; ++b) write(0, b);
  wait([&] { return pending_ == 0; });
  bool cleared = false;
  disk_->async_clear_piece(storage_, lt::piece_index_t{0}, [&](lt::piece_index_t) { cleared = true; });
  wait([&] { return cleared; });
  data_[kBlock + 5] ^= 1;  // the peer sends the piece again, different this time
  for (int b = 0; b < 4; ++b) write(0, b);
  EXPECT_EQ(hash(0), expected(0));
}

TEST_F(ThreadedDiskIoTest, UnwantedFileIsNotCreatedAndItsBlocksStillHash) {
  open({lt::default_priority, lt::dont_download});
  for (int b = 0; b < 4; ++b) write(1, b);
  EXPECT_EQ(hash(1), expected(1));
  // The unwanted file's part goes to libtorrent's part file, not to the file itself.
  EXPECT_FALSE(fs::exists(dir_ / "t/b.bin"));
  EXPECT_EQ(on_disk("t/a.bin").substr(4 * kBlock), std::string(data_.data() + 4 * kBlock, kBlock));
}

TEST_F(ThreadedDiskIoTest, RenamedFileIsWrittenUnderItsNewName) {
  open();
  write(0, 0);
  bool renamed = false;
  disk_->async_rename_file(storage_, lt::file_index_t{0}, "t/renamed.bin",
                           [&](const std::string&, lt::file_index_t, const lt::storage_error& e) {
                             EXPECT_FALSE(e) << e.ec.message();
                             renamed = true;
                           });
  wait([&] { return renamed; });
  for (int b = 1; b < 4; ++b) write(0, b);
  EXPECT_EQ(hash(0), expected(0));
  EXPECT_FALSE(fs::exists(dir_ / "t/a.bin"));
  EXPECT_EQ(on_disk("t/renamed.bin").substr(0, kPiece), std::string(data_.data(), kPiece));
}

TEST_F(ThreadedDiskIoTest, FullQueueStopsThePeerUntilTheDiskThreadCatchesUp) {
  open();
  auto observer = std::make_shared<Observer>();
  // 1 MiB of queue. Blocks wait for submit_jobs once the disk thread is idle, so the 65th
  // unsubmitted block at the latest finds the queue full.
  bool full = false;
  for (int i = 0; i < 5000 && !full; ++i) full = write(i % 2, (i / 2) % 4, observer, false);
  ASSERT_TRUE(full);
  disk_->submit_jobs();
  wait([&] { return observer->woken > 0 && pending_ == 0; });
}

TEST_F(ThreadedDiskIoTest, ReadReturnsWhatWasWritten) {
  open();
  for (int b = 0; b < 4; ++b) write(1, b);
  wait([&] { return pending_ == 0; });
  std::string got;
  disk_->async_read(storage_, {lt::piece_index_t{1}, kBlock, kBlock},
                    [&](lt::disk_buffer_holder b, const lt::storage_error& e) {
                      EXPECT_FALSE(e) << e.ec.message();
                      got.assign(b.data(), static_cast<std::size_t>(b.size()));
                    });
  disk_->submit_jobs();
  wait([&] { return !got.empty(); });
  EXPECT_EQ(got, std::string(data_.data() + kPiece + kBlock, kBlock));
}

}  // namespace
}  // namespace tseeder::engine_libtorrent
