#include "model/job_state.h"

#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "core/error.h"

namespace tseeder::jobs {
namespace {

using S = JobState;

// The expected table, written out independently of the implementation's.
const std::set<std::pair<S, S>> kAllowed = {
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

TEST(JobState, EveryPairFollowsTheTable) {
  int allowed = 0, forbidden = 0;
  for (S from : kAllStates) {
    for (S to : kAllStates) {
      const bool expected = kAllowed.count({from, to}) > 0;
      EXPECT_EQ(can_transition(from, to), expected) << to_string(from) << " -> " << to_string(to);
      if (expected) {
        EXPECT_NO_THROW(check_transition(from, to));
        ++allowed;
      } else {
        try {
          check_transition(from, to);
          ADD_FAILURE() << "allowed " << to_string(from) << " -> " << to_string(to);
        } catch (const Error& e) {
          EXPECT_EQ(e.code(), Errc::conflict);
          EXPECT_NE(std::string(e.what()).find(std::string(to_string(from))), std::string::npos);
          EXPECT_NE(std::string(e.what()).find(std::string(to_string(to))), std::string::npos);
        }
        ++forbidden;
      }
    }
  }
  EXPECT_EQ(allowed, static_cast<int>(kAllowed.size()));
  EXPECT_EQ(allowed + forbidden, 121);
}

TEST(JobState, TerminalStatesGoNowhere) {
  for (S to : kAllStates) {
    // A completed job expires, or goes back to the queue for files selected after it completed.
    EXPECT_EQ(can_transition(S::completed, to), to == S::expired || to == S::queued);
    EXPECT_FALSE(can_transition(S::cancelled, to));
    EXPECT_FALSE(can_transition(S::expired, to));
  }
  EXPECT_TRUE(is_terminal(S::completed));
  EXPECT_TRUE(is_terminal(S::cancelled));
  EXPECT_TRUE(is_terminal(S::expired));
  EXPECT_FALSE(is_terminal(S::failed));  // retry is possible
}

TEST(JobState, NamesRoundTrip) {
  for (S s : kAllStates) EXPECT_EQ(parse_state(to_string(s)), s);
  EXPECT_FALSE(parse_state("sleeping"));
  EXPECT_FALSE(parse_state(""));
}

TEST(JobState, RunningAndActive) {
  EXPECT_TRUE(is_running(S::metadata_fetch));
  EXPECT_TRUE(is_running(S::downloading));
  EXPECT_TRUE(is_running(S::scanning));
  EXPECT_TRUE(is_running(S::uploading));
  EXPECT_FALSE(is_running(S::queued));
  EXPECT_TRUE(is_active(S::paused));
  EXPECT_FALSE(is_active(S::failed));
}

}  // namespace
}  // namespace tseeder::jobs
