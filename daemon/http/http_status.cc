#include "http/http_status.h"

namespace tseeder::daemon {

unsigned http_status_for(Errc code) {
  switch (code) {
    case Errc::invalid_argument:
      return 400;
    case Errc::not_found:
      return 404;
    case Errc::conflict:
      return 409;
    case Errc::payload_too_large:
      return 413;
    case Errc::unsupported:
      return 400;
    case Errc::not_implemented:
      return 501;
    case Errc::unavailable:
      return 503;
    case Errc::unauthenticated:
      return 401;
    case Errc::forbidden:
      return 403;
    case Errc::rate_limited:
    case Errc::quota_jobs:
    case Errc::quota_storage:
    case Errc::quota_file_size:
    case Errc::quota_bandwidth:
      return 429;
    case Errc::blocked:
      return 403;
    case Errc::misdirected:
      return 421;
    case Errc::io:
    case Errc::config:
    case Errc::store:
    case Errc::plugin:
    case Errc::internal:
      return 500;
  }
  return 500;
}

Reply error_reply(unsigned status, std::string_view code, const std::string& message) {
  return Reply::json(status, Json{{"error", {{"code", code}, {"message", message}}}});
}

Reply error_reply(const Error& e) {
  Reply r = error_reply(http_status_for(e.code()), errc_name(e.code()), e.what());
  if (!e.field().empty()) {
    Json j = Json::parse(r.body);
    j["error"]["field"] = e.field();
    r.body = dump_json(j);
  }
  if (e.retry_after_s() > 0) r.headers.push_back({"Retry-After", std::to_string(e.retry_after_s())});
  if (e.code() == Errc::unauthenticated) r.headers.push_back({"WWW-Authenticate", "Bearer realm=\"tseeder\""});
  return r;
}

}  // namespace tseeder::daemon
