// The makers of schema rows (a key's path, help, how its text is applied and shown) and the checks
// keys share; config_schema.cc and the per-area row files build the table with them.
#pragma once
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "config/config_schema.h"

namespace tseeder::config {

using Member = std::int64_t Config::*;
using StrMember = std::string Config::*;
using BoolMember = bool Config::*;
using ListMember = std::vector<std::string> Config::*;
using Check = std::function<std::string(const std::string&)>;

SchemaRow int_key(std::string path, Member m, std::int64_t lo, std::int64_t hi, std::string help);
SchemaRow string_key(std::string path, StrMember m, std::string help, Check check = {});
SchemaRow bool_key(std::string path, BoolMember m, std::string help);
// A secret: never logged or dumped.
SchemaRow secret_key(std::string path, StrMember m, std::string help);
SchemaRow list_key(std::string path, ListMember m, std::string help);

// Each answers "" when the text is fine, else what is wrong with it.
std::string check_host_port(const std::string& s);
std::string check_log_level(const std::string& s);
std::string check_encryption(const std::string& s);
std::string check_proxy(const std::string& s);
std::string check_ratio(const std::string& s);
std::string check_url_with(const std::string& s, std::initializer_list<const char*> schemes, const char* what);
std::string check_public_url(const std::string& s);
std::string check_smtp_url(const std::string& s);

// The billing keys (config_schema_billing.cc).
void add_billing_rows(std::vector<SchemaRow>& rows);

}  // namespace tseeder::config
