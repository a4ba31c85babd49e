// The card processor's HTTP API, Stripe's shape: form-encoded POSTs under /v1 with the secret key
// as a bearer token, JSON answers, errors as {"error": {"message"}}. Blocking: call it off the loop.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "core/json_util.h"

namespace tseeder::net {

struct CardApiSettings {
  std::string base_url = "https://api.stripe.com";
  std::string secret_key;
  long timeout_s = 30;
};

using FormFields = std::vector<std::pair<std::string, std::string>>;

class CardApi {
 public:
  explicit CardApi(CardApiSettings s) : s_(std::move(s)) {}
  // POST base_url + path with the fields; the answer's JSON object. Error(unavailable) when the
  // API cannot be reached or answers an error, with its message (never the key).
  Json post_form(const std::string& path, const FormFields& fields) const;

 private:
  CardApiSettings s_;
};

}  // namespace tseeder::net
