// The one place an Error becomes an HTTP status and a JSON error body.
#pragma once
#include "core/error.h"
#include "http/request.h"

namespace tseeder::daemon {

unsigned http_status_for(Errc code);
Reply error_reply(const Error& e);
Reply error_reply(unsigned status, std::string_view code, const std::string& message);

}  // namespace tseeder::daemon
