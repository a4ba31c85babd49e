#include "exit_codes.h"

namespace tseeder::cli {

int exit_code_for(Errc code) {
  switch (code) {
    case Errc::invalid_argument:
    case Errc::payload_too_large:
      return kExitUsage;
    case Errc::not_found:
      return kExitNotFound;
    case Errc::unavailable:
      return kExitUnreachable;
    case Errc::conflict:
      return kExitConflict;
    case Errc::unsupported:
      return kExitUsage;
    case Errc::unauthenticated:
    case Errc::forbidden:
    case Errc::misdirected:
    case Errc::blocked:
      return kExitDenied;
    case Errc::quota_jobs:
    case Errc::quota_storage:
    case Errc::quota_file_size:
    case Errc::quota_bandwidth:
      return kExitQuota;
    case Errc::rate_limited:
      return kExitRateLimited;
    case Errc::not_implemented:
      return kExitNotImplemented;
    default:
      return kExitError;
  }
}

const char* exit_codes_help() {
  return "Exit codes:\n"
         "  0  success\n"
         "  1  error\n"
         "  2  usage error, or input the daemon rejected\n"
         "  3  job or file not found\n"
         "  4  daemon unreachable (no answer came)\n"
         "  5  job failed or was cancelled (add --wait, watch)\n"
         "  6  not possible in the job's current state\n"
         "  7  not implemented yet by the daemon\n"
         "  8  not logged in, or not allowed (tseeder login)\n"
         "  9  too many requests; try again later\n"
         " 10  over a limit of your plan (tseeder usage); admin health: degraded\n"
         " 11  admin health: down\n";
}

}  // namespace tseeder::cli
