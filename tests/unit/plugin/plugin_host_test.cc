#include "plugin/plugin_host.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "config/config.h"
#include "core/error.h"
#include "plugin/engine.h"
#include "plugin/scanner.h"
#include "plugin/static_plugins.h"

namespace tseeder::plugin {
namespace {

class PluginHostTest : public ::testing::Test {
 protected:
  config::Config cfg_ = config::load_text("");
  PluginHost host_{cfg_, [](int, const std::string&, const std::string&) {}};
};

std::string load_error(PluginHost& host, tseeder_plugin_entry_fn entry) {
  try {
    host.add_static(entry);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::plugin);
    return e.what();
  }
  return "";
}

// Files whose name contains "bad" are infected.
tseeder_scan_verdict name_scan(void*, const char* path, char* detail, size_t len) {
  if (std::string(path).find("bad") == std::string::npos) return TSEEDER_SCAN_CLEAN;
  std::snprintf(detail, len, "%s", "Test.Bad");
  return TSEEDER_SCAN_INFECTED;
}
constexpr tseeder_scanner_api kNameScanner{sizeof(tseeder_scanner_api), name_scan};

tseeder_plugin_descriptor base(const char* name) {
  return testing_plugins::descriptor(name, nullptr, &kNameScanner);
}

const tseeder_plugin_descriptor* newer_minor(const tseeder_host_api*) {
  static auto d = [] {
    auto d = base("newer-minor");
    d.abi_minor = TSEEDER_ABI_MINOR + 1;
    return d;
  }();
  return &d;
}
const tseeder_plugin_descriptor* engine_without_table(const tseeder_host_api*) {
  static auto d = [] {
    auto d = base("no-table");
    d.kind = TSEEDER_KIND_ENGINE;
    return d;
  }();
  return &d;
}
const tseeder_plugin_descriptor* oversized(const tseeder_host_api*) {
  static auto d = [] {
    auto d = base("oversized");
    d.struct_size += 64;
    return d;
  }();
  return &d;
}
const tseeder_plugin_descriptor* scanner_ok(const tseeder_host_api*) {
  static auto d = base("scanner-ok");
  return &d;
}
const tseeder_plugin_descriptor* null_entry(const tseeder_host_api*) {
  return nullptr;
}

TEST_F(PluginHostTest, RefusesOtherAbiMajorNamingFileAndVersions) {
  const std::string file = std::string(TSEEDER_TEST_PLUGIN_DIR) + "/test-abi-mismatch.so";
  try {
    host_.load_file(file);
    FAIL() << "mismatched plugin was accepted";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find(file), std::string::npos) << msg;
    EXPECT_NE(msg.find("ABI 2.0"), std::string::npos) << msg;
    const std::string host = "ABI " + std::to_string(TSEEDER_ABI_MAJOR) + "." + std::to_string(TSEEDER_ABI_MINOR);
    EXPECT_NE(msg.find(host), std::string::npos) << msg;
  }
  EXPECT_TRUE(host_.loaded().empty());
}

TEST_F(PluginHostTest, RefusesNewerMinorOversizedAndIncomplete) {
  const std::string newer = "ABI 1." + std::to_string(TSEEDER_ABI_MINOR + 1);
  EXPECT_NE(load_error(host_, newer_minor).find(newer), std::string::npos);
  EXPECT_NE(load_error(host_, oversized).find("larger"), std::string::npos);
  EXPECT_NE(load_error(host_, engine_without_table).find("engine table"), std::string::npos);
  EXPECT_NE(load_error(host_, null_entry).find("no descriptor"), std::string::npos);
  EXPECT_TRUE(host_.loaded().empty());
}

TEST_F(PluginHostTest, DirectoryLoadsGoodAndRecordsRefused) {
  host_.load_directory(TSEEDER_TEST_PLUGIN_DIR, {});
  ASSERT_EQ(host_.refused().size(), 1u);
  EXPECT_NE(host_.refused()[0].reason.find("ABI"), std::string::npos);
  PluginHost other(cfg_, [](int, const std::string&, const std::string&) {});
  other.load_directory("/nonexistent-plugins", {});
  ASSERT_EQ(other.refused().size(), 1u);
  EXPECT_NE(other.refused()[0].reason.find("does not exist"), std::string::npos);
}

TEST_F(PluginHostTest, DisabledPluginsAreSkipped) {
  host_.load_directory(TSEEDER_PLUGIN_DIR, {"engine-http"});
  EXPECT_EQ(host_.find_engine("engine-http"), nullptr);
  EXPECT_TRUE(host_.refused().empty());
}

const tseeder_plugin_descriptor* scanner_without_table(const tseeder_host_api*) {
  static auto d = [] {
    auto d = base("scanner-no-table");
    d.scanner = nullptr;
    return d;
  }();
  return &d;
}

TEST_F(PluginHostTest, ScannersAreLoadedAndAsked) {
  EXPECT_EQ(host_.scanner(), nullptr);
  EXPECT_NE(load_error(host_, scanner_without_table).find("scanner table"), std::string::npos);
  host_.add_static(scanner_ok);
  ASSERT_NE(host_.scanner(), nullptr);
  EXPECT_EQ(host_.scanner()->scan("/x/good.bin").kind, ScanVerdict::Kind::clean);
  auto bad = host_.scanner()->scan("/x/bad.bin");
  EXPECT_EQ(bad.kind, ScanVerdict::Kind::infected);
  EXPECT_EQ(bad.detail, "Test.Bad");
}

TEST_F(PluginHostTest, DuplicateNamesRefused) {
  host_.add_static(scanner_ok);
  EXPECT_NE(load_error(host_, scanner_ok).find("already loaded"), std::string::npos);
}

TEST_F(PluginHostTest, StaticEngineHttpAcceptsOnlyHttpAndHttps) {
  host_.add_static(tseeder_plugin_entry);  // engine-http linked into this test
  ASSERT_EQ(host_.engines().size(), 1u);
  EXPECT_EQ(host_.loaded()[0].name, "engine-http");
  std::string why;
  EXPECT_NE(host_.engine_for("http://example.com/a", why), nullptr);
  EXPECT_NE(host_.engine_for("HTTPS://example.com/a", why), nullptr);
  for (const char* bad : {"file:///etc/passwd", "gopher://x/", "ftp://x/y", "http://", "not a url", "magnet:?xt=1"}) {
    why.clear();
    EXPECT_EQ(host_.engine_for(bad, why), nullptr) << bad;
    EXPECT_FALSE(why.empty());
  }
}

}  // namespace
}  // namespace tseeder::plugin
