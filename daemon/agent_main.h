// The agent's process: see agent_main.cc.
#pragma once
#include <functional>

#include "config/config.h"
#include "core/json_util.h"

namespace tseeder::daemon {

// Runs until stopped; `ready` gets what the ready file holds once the agent has joined.
// Throws Error when it cannot join.
void run_agent(const config::Config& cfg, const std::function<void(const Json&)>& ready);

}  // namespace tseeder::daemon
