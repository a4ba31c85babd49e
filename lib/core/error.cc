#include "core/error.h"

namespace tseeder {

std::string_view errc_name(Errc code) {
  switch (code) {
    case Errc::invalid_argument:
      return "INVALID_ARGUMENT";
    case Errc::not_found:
      return "NOT_FOUND";
    case Errc::conflict:
      return "CONFLICT";
    case Errc::payload_too_large:
      return "PAYLOAD_TOO_LARGE";
    case Errc::unsupported:
      return "UNSUPPORTED";
    case Errc::unavailable:
      return "UNAVAILABLE";
    case Errc::io:
      return "IO_ERROR";
    case Errc::config:
      return "CONFIG_ERROR";
    case Errc::store:
      return "STORE_ERROR";
    case Errc::plugin:
      return "PLUGIN_ERROR";
    case Errc::internal:
      return "INTERNAL";
    case Errc::unauthenticated:
      return "UNAUTHENTICATED";
    case Errc::forbidden:
      return "FORBIDDEN";
    case Errc::rate_limited:
      return "RATE_LIMITED";
    case Errc::misdirected:
      return "MISDIRECTED";
    case Errc::quota_jobs:
      return "QUOTA_JOBS";
    case Errc::quota_storage:
      return "QUOTA_STORAGE";
    case Errc::quota_file_size:
      return "QUOTA_FILE_SIZE";
    case Errc::quota_bandwidth:
      return "QUOTA_BANDWIDTH";
    case Errc::blocked:
      return "BLOCKED";
    case Errc::not_implemented:
      return "NOT_IMPLEMENTED";
  }
  return "INTERNAL";
}

std::optional<Errc> parse_errc_name(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(Errc::not_implemented); ++i)
    if (errc_name(static_cast<Errc>(i)) == name) return static_cast<Errc>(i);
  return std::nullopt;
}

static std::string full_text(const std::string& message, const std::string& hint) {
  return hint.empty() ? message : message + " (" + hint + ")";
}

Error::Error(Errc code, std::string message, std::string hint, std::string field)
    : std::runtime_error(full_text(message, hint)),
      code_(code),
      message_(std::move(message)),
      hint_(std::move(hint)),
      field_(std::move(field)) {}

}  // namespace tseeder
