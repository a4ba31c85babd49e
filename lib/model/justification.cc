#include "model/justification.h"

#include "core/error.h"

namespace tseeder::auth {

void check_reason(const std::string& reason) {
  if (reason.size() < 10 || reason.size() > 2000)
    throw Error(Errc::invalid_argument, "reason must be 10 to 2000 characters",
                "say why, e.g. \"abuse report about shared links\"", "reason");
}

void check_justification(const Justification& j, bool required) {
  if (!required && j.reason.empty() && j.ticket_id.empty()) return;
  check_reason(j.reason);
  if (j.ticket_id.empty() || j.ticket_id.size() > 100)
    throw Error(Errc::invalid_argument, "ticketId must be 1 to 100 characters", "the support ticket this is for",
                "ticketId");
}

}  // namespace tseeder::auth
