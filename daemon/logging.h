// Structured JSON logs (one object per line on stderr); only the daemon logs.
#pragma once
#include <string>

#include "core/json_util.h"

namespace tseeder::daemon {

enum class Level { debug, info, warn, error };

void setup_logging(const std::string& level);
// {"ts":…,"level":…,"component":…,"msg":…, …fields}
void log(Level level, const std::string& component, const std::string& msg, const Json& fields = Json::object());

}  // namespace tseeder::daemon
