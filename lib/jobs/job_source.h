// Validates the body of POST /jobs into a source the engines are asked about.
#pragma once
#include <string>

#include "core/json_util.h"

namespace tseeder::jobs {

struct JobRequest {
  std::string source_kind;  // "url"
  std::string source;
};

// Throws Error(Errc::invalid_argument) naming the field for anything malformed.
JobRequest parse_job_request(const Json& body);

}  // namespace tseeder::jobs
