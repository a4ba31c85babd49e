// Strong id types, so a job id can never be passed where a user id is expected.
#pragma once
#include <string>
#include <string_view>

#include "core/digest.h"  // is_lower_hex

namespace tseeder {

template <typename Tag>
struct Id {
  std::string value;
  bool operator==(const Id&) const = default;
  auto operator<=>(const Id&) const = default;
};

using JobId = Id<struct JobIdTag>;
using UserId = Id<struct UserIdTag>;

// 16 lower-case hex characters from the OS CSPRNG.
std::string random_hex_id(std::size_t bytes = 8);
JobId new_job_id();
// True when `text` has the shape of an id we hand out (jobs, users, sessions, keys: 16 hex
// characters). Cheap pre-check before SQL.
bool looks_like_id(std::string_view text);

// Until accounts exist every job belongs to this built-in owner.
inline const UserId kLocalOwner{"local"};

}  // namespace tseeder
