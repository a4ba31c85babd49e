// Credentials inside URLs (user:password@, ?token=…) masked for logs and --dump-config.
#pragma once
#include <string>
#include <string_view>

namespace tseeder {

// Every URL in `text` with its userinfo replaced by "<redacted>" and the values of query
// parameters that look like credentials (token, key, secret, password, signature, auth…) too.
std::string redact_url_credentials(std::string_view text);

}  // namespace tseeder
