#include "core/json_util.h"

#include "core/error.h"

namespace tseeder {

std::string dump_json(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Json parse_json_object(std::string_view body) {
  Json j = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) throw Error(Errc::invalid_argument, "request body is not valid JSON", "send a JSON object");
  if (!j.is_object()) throw Error(Errc::invalid_argument, "request body must be a JSON object");
  return j;
}

std::optional<std::string> optional_string(const Json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  if (!it->is_string())
    throw Error(Errc::invalid_argument, std::string("field '") + key + "' must be a string", {}, key);
  return it->get<std::string>();
}

std::string required_string(const Json& obj, const char* key) {
  auto v = optional_string(obj, key);
  if (!v) throw Error(Errc::invalid_argument, std::string("field '") + key + "' is required", {}, key);
  return *v;
}

std::optional<bool> optional_bool(const Json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean())
    throw Error(Errc::invalid_argument, std::string("field '") + key + "' must be true or false", {}, key);
  return it->get<bool>();
}

std::uint64_t uint_value(const Json& v, const std::string& label, const std::string& field, std::uint64_t max) {
  const bool whole = v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() >= 0);
  if (!whole || v.get<std::uint64_t>() > max)
    throw Error(Errc::invalid_argument, label + " must be a whole number from 0 to " + std::to_string(max), {}, field);
  return v.get<std::uint64_t>();
}

std::optional<std::uint64_t> optional_uint(const Json& obj, const char* key, std::uint64_t max) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  return uint_value(*it, std::string("field '") + key + "'", key, max);
}

void reject_unknown_fields(const Json& obj, std::initializer_list<std::string_view> allowed) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool known = false;
    for (auto a : allowed) known = known || it.key() == a;
    if (!known) throw Error(Errc::invalid_argument, "unknown field '" + it.key() + "'", {}, it.key());
  }
}

}  // namespace tseeder
