// The CLI's exit codes: the one place an Error becomes a process status.
#pragma once
#include "core/error.h"

namespace tseeder::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitError = 1,           // anything not listed below
  kExitUsage = 2,           // bad flags or arguments, or input the daemon rejected (HTTP 400)
  kExitNotFound = 3,        // no such job or file
  kExitUnreachable = 4,     // the daemon could not be reached
  kExitJobFailed = 5,       // add --wait / watch: the job failed or was cancelled
  kExitConflict = 6,        // not possible in the job's current state (HTTP 409)
  kExitNotImplemented = 7,  // the daemon does not have this yet (HTTP 501)
  kExitDenied = 8,          // not logged in, or not allowed (HTTP 401, 403, 421; BLOCKED content)
  kExitRateLimited = 9,     // too many requests; try again later (HTTP 429)
  kExitQuota = 10,          // over a limit of the plan (HTTP 429 QUOTA_*); see tseeder usage
  // tseeder admin health only (no call there meets a quota): something is degraded, or down.
  kExitHealthDegraded = 10,
  kExitHealthDown = 11,
};

int exit_code_for(Errc code);
// For --help and the man page.
const char* exit_codes_help();

}  // namespace tseeder::cli
