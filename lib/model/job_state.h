// The job state machine: one table of allowed transitions, checked in one place.
#pragma once
#include <optional>
#include <span>
#include <string_view>

namespace tseeder::jobs {

enum class JobState {
  submitted,
  metadata_fetch,
  queued,
  downloading,
  scanning,
  uploading,
  completed,
  paused,
  failed,
  cancelled,
  expired,  // completed, then its plan's retention passed and its files were swept
};

inline constexpr JobState kAllStates[] = {JobState::submitted,   JobState::metadata_fetch, JobState::queued,
                                          JobState::downloading, JobState::scanning,       JobState::uploading,
                                          JobState::completed,   JobState::paused,         JobState::failed,
                                          JobState::cancelled,   JobState::expired};

// Count against the active-job limit (and stop when their content is blocked): everything not
// finished and not failed.
inline constexpr JobState kActiveStates[] = {JobState::submitted,   JobState::metadata_fetch, JobState::queued,
                                             JobState::downloading, JobState::scanning,       JobState::uploading,
                                             JobState::paused};

// A worker is (or should be) busy with it, or it follows a job that is.
inline constexpr JobState kRunningStates[] = {JobState::metadata_fetch, JobState::downloading, JobState::scanning,
                                              JobState::uploading};

std::string_view to_string(JobState s);
std::optional<JobState> parse_state(std::string_view text);

bool can_transition(JobState from, JobState to);
// Throws Error(Errc::conflict) naming both states when the table forbids it.
void check_transition(JobState from, JobState to);

bool is_terminal(JobState s);  // completed, cancelled, expired: only the sweeper moves completed ones
// One of kRunningStates.
bool is_running(JobState s);
// Counts against the active-job limits: everything not terminal and not failed.
bool is_active(JobState s);

}  // namespace tseeder::jobs
