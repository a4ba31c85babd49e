// The config schema table: one row per key drives loading, dumping and documentation.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "config/config.h"

namespace tseeder::config {

struct KeyValueText {
  std::string text;                // scalar as written, or a list flattened with ','
  std::vector<std::string> items;  // list items when is_list
  bool is_list = false;
};

struct SchemaRow {
  std::string path;  // dotted, e.g. "jobs.max_active"
  std::string help;
  bool secret = false;
  // Validates and stores; returns an error text (without key/line) or empty on success.
  std::function<std::string(Config&, const KeyValueText&)> apply;
  std::function<std::string(const Config&)> show;  // YAML value text
};

const std::vector<SchemaRow>& schema();
const SchemaRow* find_row(const std::string& path);

}  // namespace tseeder::config
