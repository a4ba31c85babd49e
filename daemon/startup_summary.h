// The lines tseederd prints once it listens: what loaded, what reaches the internet, what to fix.
#pragma once
#include <string>
#include <vector>

#include "config/config.h"
#include "plugin/plugin_host.h"

namespace tseeder::daemon {

std::vector<std::string> startup_summary(const config::Config& cfg, const plugin::PluginHost& plugins,
                                         const std::vector<std::string>& warnings);

}  // namespace tseeder::daemon
