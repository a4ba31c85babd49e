#include "logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace tseeder::daemon {

void setup_logging(const std::string& level) {
  auto logger = spdlog::stderr_logger_mt("tseederd");
  // The payload is already JSON members; spdlog adds time and level around it.
  logger->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})", spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
}

void log(Level level, const std::string& component, const std::string& msg, const Json& fields) {
  Json j = fields.is_object() ? fields : Json::object();
  j["component"] = component;
  j["msg"] = msg;
  std::string text = j.dump(-1, ' ', false, Json::error_handler_t::replace);
  // Strip the outer braces: the pattern supplies them.
  std::string_view members(text);
  members = members.substr(1, members.size() - 2);
  switch (level) {
    case Level::debug:
      spdlog::debug("{}", members);
      break;
    case Level::info:
      spdlog::info("{}", members);
      break;
    case Level::warn:
      spdlog::warn("{}", members);
      break;
    case Level::error:
      spdlog::error("{}", members);
      break;
  }
}

}  // namespace tseeder::daemon
