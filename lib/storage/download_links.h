// Expiring download links: a token naming a stored file, signed with HMAC-SHA256 over the job,
// file, owner and expiry under the daemon's own secret. Anyone holding the link may fetch the
// file until it expires; changing any part of it breaks the signature.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "core/ids.h"

namespace tseeder::storage {

struct LinkClaim {
  JobId job;
  std::int64_t file_id = 0;
  std::int64_t expires_s = 0;  // Unix seconds
  std::string signature;
};

class DownloadLinks {
 public:
  explicit DownloadLinks(std::string secret) : secret_(std::move(secret)) {}
  std::string issue(const JobId& job, std::int64_t file_id, const UserId& owner, std::int64_t expires_s) const;
  // The parts of a token of the right shape; nullopt otherwise (never throws).
  static std::optional<LinkClaim> parse(const std::string& token);
  // Constant-time check of the claim's signature for this owner.
  bool valid(const LinkClaim& claim, const UserId& owner) const;

 private:
  std::string sign(const JobId& job, std::int64_t file_id, const UserId& owner, std::int64_t expires_s) const;
  std::string secret_;
};

}  // namespace tseeder::storage
