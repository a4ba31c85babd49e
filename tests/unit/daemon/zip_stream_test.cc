// A zip streamed from stored objects read in small pieces, several at once, is byte for byte
// the layout's headers around each file's data with its CRC; an object that vanishes ends it.
#include "handlers/zip_stream.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <fstream>

#include "core/ids.h"
#include "storage/local_storage.h"

namespace tseeder::daemon {
namespace {

namespace fs = std::filesystem;

class ZipStreamTest : public ::testing::Test {
 protected:
  void SetUp() override { fs::create_directories(root_); }
  void TearDown() override { fs::remove_all(root_); }

  // Stores a file of `size` bytes; its entry, key and content are kept in order.
  void add(const std::string& name, std::size_t size) {
    std::string data(size, '\0');
    for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<char>((i * 31 + name.size()) & 0xff);
    const auto src = root_ / ("src" + std::to_string(keys_.size()));  // stores may link, not copy
    std::ofstream(src, std::ios::binary) << data;
    keys_.push_back(storage_.put_file(UserId{"0123456789abcdef"}, JobId{"fedcba9876543210"}, name, src, {}).key);
    entries_.push_back({name, size, 1700000000});
    contents_.push_back(std::move(data));
  }

  // Pulls the stream on the loop until it says it is done.
  std::string drain(ZipStream& z) {
    std::string out;
    bool over = false;
    io_.restart();  // the last guard's end stopped it
    auto guard = boost::asio::make_work_guard(io_);
    while (!over) {
      bool got = false;
      z.pull([&](std::optional<std::string> chunk) {
        got = true;
        if (chunk)
          out += *chunk;
        else
          over = true;
      });
      while (!got) io_.run_one();
    }
    return out;
  }

  std::string expected() const {
    storage::ZipLayout layout(entries_);
    std::string out;
    std::vector<std::uint32_t> crcs;
    for (std::size_t i = 0; i < contents_.size(); ++i) {
      const auto& d = contents_[i];
      crcs.push_back(static_cast<std::uint32_t>(
          crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(d.data()), static_cast<uInt>(d.size()))));
      out += layout.local_header(i) + d + layout.data_descriptor(i, crcs.back());
    }
    return out + layout.trailer(crcs);
  }

  fs::path root_ = fs::temp_directory_path() / ("tseeder-zip-" + random_hex_id(6));
  storage::LocalStorage storage_{root_ / "storage"};
  boost::asio::io_context io_;
  storage::RangeReads reads_{io_, storage_, 3};
  std::vector<storage::ZipEntry> entries_;
  std::vector<std::string> keys_;
  std::vector<std::string> contents_;
};

TEST_F(ZipStreamTest, PiecesInFlightAtOnceComeOutInOrder) {
  add("a.bin", 100);
  add("empty.bin", 0);
  add("sub/one.bin", 1);
  add("b.bin", 7 * 3);  // whole pieces only
  add("c.bin", 50);
  for (std::size_t depth : {1, 2, 5}) {
    ZipStream z(storage::ZipLayout(entries_), keys_, reads_, 7, depth);
    EXPECT_EQ(drain(z), expected()) << "depth " << depth;
  }
}

TEST_F(ZipStreamTest, AnObjectGoneMidwayEndsTheStreamShort) {
  add("a.bin", 64);
  add("b.bin", 64);
  ZipStream z(storage::ZipLayout(entries_), keys_, reads_, 16, 2);
  fs::remove(*storage_.local_path(keys_[1]));
  const auto out = drain(z);
  const auto whole = expected();
  EXPECT_LT(out.size(), whole.size());
  EXPECT_EQ(out, whole.substr(0, out.size()));
  EXPECT_GE(out.size(), storage::ZipLayout(entries_).local_header(0).size() + 64);  // the first file went out
}

}  // namespace
}  // namespace tseeder::daemon
