#include "model/job_state.h"

#include <string>

#include "core/error.h"

namespace tseeder::jobs {
namespace {

using S = JobState;

struct Edge {
  S from;
  S to;
};

// Every allowed move. Why each exists:
//   submitted → metadata_fetch    the dispatcher handed it to an engine
//   submitted → queued            no free slot yet
//   metadata_fetch → downloading  the engine knows name and size
//   metadata_fetch/downloading/uploading → queued
//                                 retryable failure, lost worker or daemon restart: dispatch again
//   queued → metadata_fetch       a slot freed up
//   downloading → scanning        all bytes are here; the virus scanner checks them
//   downloading → uploading       all bytes are here and scanning is turned off
//   scanning → uploading          clean, or no scanner could tell (scan_status says which)
//   scanning/uploading → queued   also: a failed scan or upload waits to be tried again; the
//                                 finished download is kept for it
//   queued → scanning/uploading   that retry: it resumes where it stopped, without downloading
//   uploading → completed         stored
//   * → paused                    user pause (any non-terminal, not failed)
//   paused → queued               user resume
//   failed → queued               user retry / admin replay
//   * → failed                    non-retryable error or retries exhausted; paused → failed
//                                 when its content is blocked
//   * → cancelled                 user cancel of anything not finished
//   completed → expired           the retention sweeper removed its files
//   completed → queued            more of its files were selected: a further round fetches them
//   scanning/paused/failed → completed
//                                 that round ends without its files (cancelled, or infected):
//                                 the job keeps what it stored before
//   submitted/queued/metadata_fetch/downloading → completed
//                                 the same content is already stored for another job: its
//                                 objects are shared and nothing more is fetched
constexpr Edge kEdges[] = {
    {S::submitted, S::metadata_fetch},
    {S::submitted, S::queued},
    {S::submitted, S::paused},
    {S::submitted, S::failed},
    {S::submitted, S::cancelled},

    {S::metadata_fetch, S::downloading},
    {S::metadata_fetch, S::queued},
    {S::metadata_fetch, S::paused},
    {S::metadata_fetch, S::failed},
    {S::metadata_fetch, S::cancelled},

    {S::queued, S::metadata_fetch},
    {S::queued, S::scanning},
    {S::queued, S::uploading},
    {S::queued, S::paused},
    {S::queued, S::failed},
    {S::queued, S::cancelled},

    {S::downloading, S::scanning},
    {S::downloading, S::uploading},
    {S::downloading, S::queued},
    {S::downloading, S::paused},
    {S::downloading, S::failed},
    {S::downloading, S::cancelled},

    {S::scanning, S::uploading},
    {S::scanning, S::queued},
    {S::scanning, S::failed},
    {S::scanning, S::cancelled},

    {S::uploading, S::completed},
    {S::uploading, S::queued},
    {S::uploading, S::failed},
    {S::uploading, S::cancelled},

    {S::paused, S::queued},
    {S::paused, S::failed},
    {S::paused, S::cancelled},

    {S::failed, S::queued},
    {S::failed, S::cancelled},

    {S::completed, S::expired},
    {S::completed, S::queued},
    {S::scanning, S::completed},
    {S::paused, S::completed},
    {S::failed, S::completed},

    {S::submitted, S::completed},
    {S::queued, S::completed},
    {S::metadata_fetch, S::completed},
    {S::downloading, S::completed},
};

}  // namespace

std::string_view to_string(JobState s) {
  switch (s) {
    case S::submitted:
      return "submitted";
    case S::metadata_fetch:
      return "metadata_fetch";
    case S::queued:
      return "queued";
    case S::downloading:
      return "downloading";
    case S::scanning:
      return "scanning";
    case S::uploading:
      return "uploading";
    case S::completed:
      return "completed";
    case S::paused:
      return "paused";
    case S::failed:
      return "failed";
    case S::cancelled:
      return "cancelled";
    case S::expired:
      return "expired";
  }
  return "failed";
}

std::optional<JobState> parse_state(std::string_view text) {
  for (S s : kAllStates)
    if (to_string(s) == text) return s;
  return std::nullopt;
}

bool can_transition(JobState from, JobState to) {
  for (const auto& e : kEdges)
    if (e.from == from && e.to == to) return true;
  return false;
}

void check_transition(JobState from, JobState to) {
  if (!can_transition(from, to))
    throw Error(Errc::conflict,
                "job is " + std::string(to_string(from)) + " and cannot become " + std::string(to_string(to)));
}

bool is_terminal(JobState s) {
  return s == S::completed || s == S::cancelled || s == S::expired;
}

bool is_running(JobState s) {
  for (S r : kRunningStates)
    if (r == s) return true;
  return false;
}

bool is_active(JobState s) {
  for (S a : kActiveStates)
    if (a == s) return true;
  return false;
}

}  // namespace tseeder::jobs
