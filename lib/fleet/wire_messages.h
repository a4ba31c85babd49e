// The messages of the controller<->agent wire as JSON: what an agent is asked to run and what it
// reports back. Decoding treats every message as untrusted: a wrong shape is Error(invalid_argument).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/ids.h"
#include "core/json_util.h"
#include "jobs/finishing.h"
#include "model/job.h"
#include "plugin/engine.h"

namespace tseeder::fleet {

// A job handed to an agent. `token` names this assignment: events carrying another are of an
// earlier one and are ignored. `version` grows with each change of settings.
struct Assignment {
  JobId job;
  UserId owner;
  std::string token;
  std::int64_t version = 1;
  std::string engine;
  std::string source_kind;
  std::string source;  // URL or magnet; for an uploaded .torrent, its bytes in base64
  std::optional<std::string> infohash;
  std::optional<std::string> name;
  bool scan = true;  // the controller's scan.enabled
  plugin::JobSettings settings;
};

Json to_json(const plugin::JobSettings& s);
plugin::JobSettings settings_from(const Json& j);
Json to_json(const Assignment& a);
Assignment assignment_from(const Json& j);

Json to_json(const std::vector<plugin::EngineFile>& files);
std::vector<plugin::EngineFile> engine_files_from(const Json& j);
Json to_json(const plugin::EngineProgress& p);
plugin::EngineProgress progress_from(const Json& j);
Json to_json(const jobs::ScanOutcome& o);
jobs::ScanOutcome scan_outcome_from(const Json& j);
Json to_json(const jobs::StoreOutcome& o);
jobs::StoreOutcome store_outcome_from(const Json& j, const JobId& job, const UserId& owner);

// One event of an agent: numbered per agent, so a batch sent again is applied once.
struct WireEvent {
  std::int64_t seq = 0;
  JobId job;
  std::string token;
  std::string type;  // metadata, progress, content_ids, completed, seeding_done, failed, scanned, stored, ended
  Json data;
};
Json to_json(const WireEvent& e);
WireEvent wire_event_from(const Json& j);

// Inside a decode: the message has the right JSON shape but a wrong value.
[[noreturn]] inline void malformed(const std::string& why) {
  throw Json::other_error::create(501, why, nullptr);
}

// An assignment's token as the controller makes them (random_hex_id(8)).
inline bool is_token(const std::string& s) {
  return is_lower_hex(s, 16);
}

// Runs `decode` on an untrusted message; a JSON type or range error becomes
// Error(invalid_argument) naming `what`.
template <typename F>
auto decode_message(const char* what, F decode) -> decltype(decode()) {
  try {
    return decode();
  } catch (const Json::exception& e) {
    throw Error(Errc::invalid_argument, std::string("fleet message '") + what + "' is malformed: " + e.what(),
                "agents and controller must run the same tseeder version");
  }
}

}  // namespace tseeder::fleet
