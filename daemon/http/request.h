// What handlers see of an HTTP request, and what they answer.
#pragma once
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/json_util.h"
#include "model/principal.h"

namespace tseeder::daemon {

namespace http = boost::beast::http;

struct Request {
  const http::request<http::string_body>* raw = nullptr;
  std::string path;                           // decoded path without query
  std::map<std::string, std::string> query;   // decoded query parameters
  std::map<std::string, std::string> params;  // {name} captures of the route
  std::string request_id;
  bool via_unix_socket = false;
  std::optional<auth::Principal> principal;  // set by the guard for authenticated calls
  auth::RequestMeta meta;                    // client address, request id, user agent
  std::string audit_target;                  // set by a handler when the route's id is not the target
  Json audit_detail = Json::object();

  // The caller; the guard has made sure there is one on every route that needs it.
  const auth::Principal& who() const { return *principal; }

  std::string header(http::field f) const;
  std::string header(std::string_view name) const;
  const std::string& body() const { return raw->body(); }
  std::optional<std::string> query_param(const std::string& key) const;
};

// A body produced piece by piece (SSE, file content). `pull` hands the next chunk to `done`,
// now or later; nullopt ends the body. cancel() drops any pending callback.
class BodyStream {
 public:
  using PullFn = std::function<void(std::optional<std::string>)>;
  virtual ~BodyStream() = default;
  virtual void pull(PullFn done) = 0;
  virtual void cancel() = 0;
};

struct Reply {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::shared_ptr<BodyStream> stream;           // set: body comes from the stream
  std::optional<std::uint64_t> content_length;  // with stream: known length (else chunked)
  // Set: the answer is made later, after work off the event loop (password hashing). The
  // session hands `deferred` a callback; the work calls it, on the loop, with the last step,
  // which the session runs like a handler (errors become error answers).
  using LastStep = std::function<Reply()>;
  std::function<void(std::function<void(LastStep)>)> deferred;

  static Reply json(unsigned status, const Json& j);
};

// Runs `work` now, off the loop, and keeps what it gave: the returned thunk gives the value again,
// or throws what `work` threw, when called later on the loop.
template <typename T>
std::function<T()> settled(const std::function<T()>& work) {
  try {
    auto value = std::make_shared<T>(work());
    return [value] { return std::move(*value); };
  } catch (...) {
    return [error = std::current_exception()]() -> T { std::rethrow_exception(error); };
  }
}

// Splits "a=b&c=d" with percent-decoding ('+' is a space).
std::map<std::string, std::string> parse_query(std::string_view q);

}  // namespace tseeder::daemon
