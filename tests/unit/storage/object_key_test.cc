// Keys and local paths built from untrusted names never leave {userId}/{jobId}/.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string_view>

#include "core/error.h"
#include "core/ids.h"
#include "storage/local_storage.h"

namespace tseeder::storage {
namespace {

namespace fs = std::filesystem;
using namespace std::string_view_literals;

const UserId kUser{"0123456789abcdef"};
const JobId kJob{"fedcba9876543210"};
const std::string kPrefix = "0123456789abcdef/fedcba9876543210/files/";

// Names a hostile torrent, URL or Content-Disposition could carry.
const std::string_view kTricks[] = {
    "../../../etc/passwd"sv,
    "a/../../b"sv,
    "/etc/passwd"sv,
    "//server/share/x"sv,
    ".."sv,
    "."sv,
    "./../x"sv,
    "..\\..\\windows\\win.ini"sv,
    "C:\\boot.ini"sv,
    "%2e%2e/%2e%2e/x"sv,
    "%2e%2e%2fx"sv,
    "..%2f..%2fx"sv,
    "\xc0\xae\xc0\xae/x"sv,          // overlong UTF-8 for '.'
    "\xef\xbc\x8e\xef\xbc\x8e/x"sv,  // fullwidth full stops
    "\xe2\x80\xa5/x"sv,              // two dot leader
    "a/\xe2\x88\x95../x"sv,          // division slash
    "a\0/../../x"sv,
    "dir/\n../x"sv,
    "\xff\xfe/../x"sv,
    "\u202e/txt.exe"sv,  // right-to-left override
};

bool inside(const std::string& key) {
  if (key.rfind(kPrefix, 0) != 0 || key.size() == kPrefix.size()) return false;
  for (const auto& part : fs::path(key.substr(kPrefix.size())))
    if (part == ".." || part == "." || part.empty()) return false;
  return key.find('\\') == std::string::npos && key.find('\0') == std::string::npos;
}

TEST(ObjectKey, UntrustedNamesStayUnderTheJobPrefix) {
  for (std::string_view raw : kTricks) {
    const std::string name(raw);
    try {
      const std::string key = object_key(kUser, kJob, name);
      EXPECT_TRUE(inside(key)) << "name " << ::testing::PrintToString(name) << " gave " << key;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), Errc::invalid_argument) << name;  // refused is fine too; escaping is not
    }
  }
}

TEST(ObjectKey, IdsThatCouldMoveThePrefixAreRefused) {
  for (const char* bad : {"..", "../x", "a/b", "", "UPPER", "x y", "a%2fb"}) {
    EXPECT_THROW(object_key(UserId{bad}, kJob, "f"), Error) << bad;
    EXPECT_THROW(object_key(kUser, JobId{bad}, "f"), Error) << bad;
    EXPECT_THROW(job_prefix(UserId{bad}, kJob), Error) << bad;
  }
  EXPECT_EQ(job_prefix(kLocalOwner, kJob), "local/fedcba9876543210/");
}

TEST(LocalStorage, HostileNamesLandInsideTheJobDirectory) {
  const auto root = fs::temp_directory_path() / ("tseeder-keys-" + random_hex_id(6));
  const auto src = root / "src.bin";
  fs::create_directories(root);
  std::ofstream(src) << "data";
  {
    LocalStorage storage(root / "storage");
    const auto job_dir = fs::weakly_canonical(root / "storage" / kUser.value / kJob.value);
    for (std::string_view raw : kTricks) {
      const std::string name(raw);
      try {
        auto obj = storage.put_file(kUser, kJob, name, src, {});
        auto where = fs::weakly_canonical(*storage.local_path(obj.key));
        auto rel = where.lexically_relative(job_dir);
        EXPECT_FALSE(rel.empty() || *rel.begin() == "..") << name << " landed at " << where;
        EXPECT_TRUE(fs::is_regular_file(where)) << name;
      } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::invalid_argument) << name;
      }
    }
    // Nothing was written beside the job directory.
    for (const auto& entry : fs::recursive_directory_iterator(root / "storage")) {
      auto rel = fs::weakly_canonical(entry.path()).lexically_relative(job_dir);
      if (entry.is_regular_file()) {
        EXPECT_FALSE(rel.empty() || *rel.begin() == "..") << entry.path();
      }
    }
  }
  fs::remove_all(root);
}

}  // namespace
}  // namespace tseeder::storage
