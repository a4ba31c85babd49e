// Small helpers for reading untrusted JSON bodies with errors that name the field.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace tseeder {

using Json = nlohmann::json;

// Parses a request body; malformed JSON or a non-object → Errc::invalid_argument.
Json parse_json_object(std::string_view body);
// The string field `key`, or nullopt when absent; present but not a string → invalid_argument.
std::optional<std::string> optional_string(const Json& obj, const char* key);
std::string required_string(const Json& obj, const char* key);
// Refuses fields not in `allowed` so typos surface instead of being ignored.
void reject_unknown_fields(const Json& obj, std::initializer_list<std::string_view> allowed);

}  // namespace tseeder
