// A migrated SQLite store in a directory of its own, removed after each test.
#pragma once
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "core/ids.h"
#include "store/db.h"
#include "store/migrations.h"

namespace tseeder {

class TempDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("tseeder-test-" + random_hex_id(6));
    std::filesystem::create_directories(dir_);
    db_ = std::make_unique<store::Db>((dir_ / "t.db").string());
    store::migrate_up(*db_);
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Db> db_;
};

}  // namespace tseeder
