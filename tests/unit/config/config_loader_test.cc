#include <gtest/gtest.h>

#include <cstdlib>

#include "config/config.h"
#include "core/error.h"

namespace tseeder::config {
namespace {

std::string error_of(const std::string& yaml) {
  try {
    load_text(yaml, "config t.yaml");
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::config);
    return e.what();
  }
  return "";
}

TEST(ConfigLoader, DefaultsWhenEmpty) {
  Config c = load_text("");
  EXPECT_EQ(c.listen, "127.0.0.1:8420");
  EXPECT_EQ(c.jobs_max_active, 4);
  EXPECT_EQ(c.socket_path(), "./var/tseederd.sock");
}

TEST(ConfigLoader, ReadsNestedKeys) {
  Config c = load_text("listen: 127.0.0.1:0\njobs:\n  max_active: 7\nplugins:\n  disabled: [a, b]\n");
  EXPECT_EQ(c.listen, "127.0.0.1:0");
  EXPECT_EQ(c.jobs_max_active, 7);
  EXPECT_EQ(c.plugins_disabled, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(c.get_text("jobs.max_active"), "7");
  EXPECT_FALSE(c.get_text("nope"));
}

TEST(ConfigLoader, UnknownKeyNamesKeyAndLine) {
  auto e = error_of("listen: 127.0.0.1:1\n\njobs:\n  max_activ: 3\n");
  EXPECT_NE(e.find("config t.yaml: jobs.max_activ (line 4)"), std::string::npos) << e;
  EXPECT_NE(error_of("nonsense: 1\n").find("nonsense (line 1)"), std::string::npos);
}

TEST(ConfigLoader, BadValuesNameKeyAndLine) {
  EXPECT_NE(error_of("jobs:\n  max_active: x\n").find("jobs.max_active (line 2) is invalid"), std::string::npos);
  EXPECT_NE(error_of("jobs:\n  max_active: 100000\n").find("out of range"), std::string::npos);
  EXPECT_NE(error_of("jobs:\n  max_active: 5abc\n").find("not a whole number"), std::string::npos);
  EXPECT_NE(error_of("listen: 127.0.0.1\n").find("not HOST:PORT"), std::string::npos);
  EXPECT_NE(error_of("listen: 127.0.0.1:70000\n").find("port number"), std::string::npos);
  EXPECT_NE(error_of("log:\n  level: loud\n").find("log.level (line 2)"), std::string::npos);
  EXPECT_NE(error_of("plugins:\n  disabled: one\n").find("expected a list"), std::string::npos);
  EXPECT_NE(error_of("- a\n- b\n").find("must be a mapping"), std::string::npos);
  EXPECT_NE(error_of("jobs: {\n").find("cannot be parsed"), std::string::npos);
}

TEST(ConfigLoader, DumpRoundTrips) {
  Config c = load_text("jobs:\n  max_active: 9\nstorage:\n  sweep_hour_utc: 5\n  s3:\n    region: eu-west-9\n");
  Config again = load_text(dump(c));
  EXPECT_EQ(again.jobs_max_active, 9);
  EXPECT_EQ(again.listen, c.listen);
  EXPECT_EQ(again.storage_sweep_hour_utc, 5);
  EXPECT_EQ(again.storage_s3_region, "eu-west-9");
}

TEST(ConfigLoader, DumpNamesEachSectionOnce) {
  const std::string text = dump(Config{});
  for (const char* section : {"\nstorage:\n", "\ndownloads:\n", "\njobs:\n", "\n  s3:\n"}) {
    const auto at = text.find(section);
    ASSERT_NE(at, std::string::npos) << section;
    EXPECT_EQ(text.find(section, at + 1), std::string::npos) << section << " twice";
  }
  EXPECT_EQ(text.find("s3.bucket"), std::string::npos);  // nested, not a dotted key
}

TEST(ConfigLoader, MissingFileIsAClearError) {
  try {
    load_file("/nonexistent/tseederd.yaml");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/tseederd.yaml"), std::string::npos);
  }
}

}  // namespace
}  // namespace tseeder::config

namespace tseeder::config {
namespace {

TEST(ConfigLoader, S3BackendNeedsItsKeysFromFileOrEnvironment) {
  const std::string yaml = "storage:\n  backend: s3\n  s3:\n    endpoint: http://127.0.0.1:9000\n    bucket: b\n";
  ::unsetenv("TSEEDER_S3_ACCESS_KEY");
  ::unsetenv("TSEEDER_S3_SECRET_KEY");
  try {
    load_text(yaml, "t");
    FAIL() << "s3 without keys was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::config);
    EXPECT_EQ(e.field(), "storage.s3.access_key");
    EXPECT_NE(e.hint().find("TSEEDER_S3_ACCESS_KEY"), std::string::npos);
  }
  ::setenv("TSEEDER_S3_ACCESS_KEY", "AKID", 1);
  ::setenv("TSEEDER_S3_SECRET_KEY", "from-env", 1);
  auto cfg = load_text(yaml + "    secret_key: from-file\n", "t");
  ::unsetenv("TSEEDER_S3_ACCESS_KEY");
  ::unsetenv("TSEEDER_S3_SECRET_KEY");
  EXPECT_EQ(cfg.storage_s3_access_key, "AKID");
  EXPECT_EQ(cfg.storage_s3_secret_key, "from-env");  // the environment wins
  EXPECT_EQ(dump(cfg).find("from-env"), std::string::npos);
  EXPECT_THROW(load_text("storage:\n  backend: ftp\n", "t"), Error);
  EXPECT_THROW(load_text("storage:\n  s3:\n    endpoint: s3.example.com\n", "t"), Error);
}

}  // namespace
}  // namespace tseeder::config
