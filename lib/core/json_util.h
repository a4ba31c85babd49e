// Small helpers for reading untrusted JSON bodies with errors that name the field.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace tseeder {

using Json = nlohmann::json;

// Compact JSON text; invalid UTF-8 from untrusted sources (server-sent names, engine messages)
// becomes U+FFFD instead of an exception.
std::string dump_json(const Json& j);

// Parses a request body; malformed JSON or a non-object → Errc::invalid_argument.
Json parse_json_object(std::string_view body);
// The string field `key`, or nullopt when absent; present but not a string → invalid_argument.
std::optional<std::string> optional_string(const Json& obj, const char* key);
std::string required_string(const Json& obj, const char* key);
std::optional<bool> optional_bool(const Json& obj, const char* key);
// A whole number from 0 to max; fractions, negatives and strings → invalid_argument.
std::optional<std::uint64_t> optional_uint(const Json& obj, const char* key, std::uint64_t max);
// A whole number from 0 to max; `label` names the value in the error ("files[2]"), `field` is
// the request field it belongs to.
std::uint64_t uint_value(const Json& v, const std::string& label, const std::string& field, std::uint64_t max);
// The value, or JSON null when there is none.
template <typename T>
Json or_null(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}

// The value at `key` as T, or nullopt when it is absent or null; a wrong type throws Json's
// type_error (for decoders that turn Json exceptions into their own error).
template <typename T>
std::optional<T> optional_at(const Json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  return it->get<T>();
}

// Refuses fields not in `allowed` so typos surface instead of being ignored.
void reject_unknown_fields(const Json& obj, std::initializer_list<std::string_view> allowed);

}  // namespace tseeder
