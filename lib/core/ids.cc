#include "core/ids.h"

#include "core/digest.h"
#include "core/secrets.h"

namespace tseeder {

std::string random_hex_id(std::size_t bytes) {
  const std::string raw = random_bytes(bytes);
  return to_hex(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
}

JobId new_job_id() {
  return JobId{random_hex_id(8)};
}

bool looks_like_id(std::string_view text) {
  return is_lower_hex(text, 16);
}

}  // namespace tseeder
