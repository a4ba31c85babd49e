#include "http/session.h"

#include <boost/asio/write.hpp>
#include <limits>

#include "core/ids.h"
#include "http/guard.h"
#include "http/http_status.h"
#include "http/router.h"
#include "http/server.h"
#include "logging.h"

namespace tseeder::daemon {

namespace beast = boost::beast;

namespace {

constexpr std::size_t kHeaderLimit = 16 * 1024;

// Download tokens are credentials: the log names the route, not the token.
std::string loggable_path(const std::string& path) {
  return path.starts_with("/dl/") ? "/dl/…" : path;
}

bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  return true;
}

}  // namespace

Session::Session(Socket socket, Server& server, bool via_unix)
    : socket_(std::move(socket)), server_(server), registry_(server.registry()), via_unix_(via_unix) {}

Session::~Session() {
  registry_->sessions.erase(this);
}

void Session::start() {
  registry_->sessions[this] = weak_from_this();
  peer_ = identify_peer(socket_.native_handle(), via_unix_);
  read_header();
}

void Session::close() {
  closed_ = true;
  if (stream_) stream_->cancel();
  stream_.reset();
  boost::system::error_code ec;
  socket_.shutdown(Socket::shutdown_both, ec);
  socket_.close(ec);
}

void Session::read_header() {
  if (closed_) return;
  parser_.emplace();
  parser_->header_limit(kHeaderLimit);
  // The real limit is the route's, set once the header is routed; Beast checks Content-Length
  // against this one while still reading the header.
  parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
  http::async_read_header(socket_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) {  // closed, reset or garbage: nothing to answer
      if (ec != http::error::end_of_stream) log(Level::debug, "http", "read header failed: " + ec.message());
      return;
    }
    self->on_header();
  });
}

void Session::on_header() {
  started_ = std::chrono::steady_clock::now();
  const auto& h = parser_->get();
  req_ = Request{};
  req_.raw = &h;  // the header is complete; the body fills in later
  req_.via_unix_socket = via_unix_;
  auto rid = h.find("X-Request-Id");
  std::string rid_text = rid != h.end() ? std::string(rid->value()) : std::string();
  req_.request_id = valid_request_id(rid_text) ? rid_text : random_hex_id(8);
  const std::string target_text(h.target());
  std::string_view target = target_text;
  auto qpos = target.find('?');
  target_path_ = std::string(target.substr(0, qpos));
  req_.path = target_path_;
  if (qpos != std::string_view::npos) req_.query = parse_query(target.substr(qpos + 1));

  auto m = server_.router().match(h.method(), req_.path);
  // A body we will not read poisons the connection, so error answers before the body close it.
  if (!m.route) {
    Reply r = m.status == 405 ? error_reply(405, "METHOD_NOT_ALLOWED", "method not allowed; use " + m.allow)
                              : error_reply(404, "NOT_FOUND", "no route for " + req_.path);
    if (m.status == 405) r.headers.push_back({"Allow", m.allow});
    return respond(std::move(r), false);
  }
  route_ = m.route;
  req_.params = std::move(m.params);
  // Refused before the body is read: the connection survives only if there is no body.
  if (auto refused = admit(server_.app(), *route_, req_, h.method(), peer_))
    return respond(std::move(*refused), parser_->is_done() && h.keep_alive());
  auto len = parser_->content_length();
  if (len && *len > route_->body_limit) {
    return respond(error_reply(413, "PAYLOAD_TOO_LARGE",
                               "request body of " + std::to_string(*len) + " bytes exceeds the limit of " +
                                   std::to_string(route_->body_limit) + " bytes for this route"),
                   false);
  }
  parser_->body_limit(route_->body_limit);
  http::async_read(socket_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec == http::error::body_limit) {
      return self->respond(error_reply(413, "PAYLOAD_TOO_LARGE", "request body exceeds the limit for this route"),
                           false);
    }
    if (ec) {
      log(Level::debug, "http", "read body failed: " + ec.message());
      return;
    }
    self->on_body();
  });
}

void Session::on_body() {
  const auto& msg = parser_->get();
  req_.raw = &msg;
  Reply reply;
  try {
    reply = route_->handler(server_.app(), req_);
  } catch (const Error& e) {
    if (http_status_for(e.code()) >= 500)
      log(Level::error, "http", e.what(), {{"rid", req_.request_id}, {"path", loggable_path(req_.path)}});
    reply = error_reply(e);
  } catch (const std::exception& e) {
    log(Level::error, "http", std::string("unexpected: ") + e.what(),
        {{"rid", req_.request_id}, {"path", loggable_path(req_.path)}});
    reply = error_reply(500, "INTERNAL", "internal error; see the daemon log for request " + req_.request_id);
  }
  try {
    audit_success(server_.app(), *route_, req_, reply);
  } catch (const std::exception& e) {
    log(Level::error, "audit", std::string("audit entry not written: ") + e.what(),
        {{"rid", req_.request_id}, {"path", loggable_path(req_.path)}});
  }
  bool keep = msg.keep_alive();
  if (reply.stream) return write_stream(std::move(reply), keep);
  respond(std::move(reply), keep);
}

void Session::log_request(unsigned status) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_).count();
  // Agents poll every second: their answered calls are routine.
  const bool routine = status == 200 && req_.path.starts_with("/fleet/v1/");
  log(status >= 500 ? Level::error
      : routine     ? Level::debug
                    : Level::info,
      "http", "request",
      {{"rid", req_.request_id},
       {"method", std::string(http::to_string(parser_->get().method()))},
       {"path", loggable_path(req_.path)},
       {"status", status},
       {"ms", ms},
       {"via", via_unix_ ? "unix" : "tcp"}});
}

void Session::respond(Reply reply, bool keep_alive) {
  log_request(reply.status);
  auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(reply.status),
                                                                 parser_->get().version());
  res->set(http::field::server, "tseederd/" TSEEDER_VERSION);
  res->set(http::field::content_type, reply.content_type);
  res->set("X-Request-Id", req_.request_id);
  for (auto& [k, v] : reply.headers) res->set(k, v);
  res->body() = std::move(reply.body);
  res->keep_alive(keep_alive);
  res->prepare_payload();
  http::async_write(socket_, *res, [self = shared_from_this(), res, keep_alive](beast::error_code ec, std::size_t) {
    if (ec) return;
    self->finish(keep_alive);
  });
}

void Session::finish(bool keep_alive) {
  if (keep_alive && !closed_) return read_header();
  boost::system::error_code ec;
  socket_.shutdown(Socket::shutdown_send, ec);
}

void Session::write_stream(Reply reply, bool keep_alive) {
  log_request(reply.status);
  stream_ = std::move(reply.stream);
  stream_res_.emplace(static_cast<http::status>(reply.status), parser_->get().version());
  auto& res = *stream_res_;
  res.set(http::field::server, "tseederd/" TSEEDER_VERSION);
  res.set(http::field::content_type, reply.content_type);
  res.set("X-Request-Id", req_.request_id);
  for (auto& [k, v] : reply.headers) res.set(k, v);
  res.keep_alive(keep_alive);
  stream_owed_ = reply.content_length;
  if (reply.content_length)
    res.content_length(*reply.content_length);
  else
    res.chunked(true);
  res.body().data = nullptr;
  res.body().more = true;
  stream_keep_alive_ = keep_alive;
  serializer_.emplace(res);
  http::async_write_header(socket_, *serializer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) return self->close();
    self->pump();
  });
}

void Session::pump() {
  if (closed_ || !stream_) return;
  stream_->pull([self = shared_from_this()](std::optional<std::string> chunk) {
    if (self->closed_) return;
    auto& res = *self->stream_res_;
    auto& owed = self->stream_owed_;
    if ((!chunk && owed && *owed != 0) || (chunk && owed && chunk->size() > *owed)) return self->close();
    if (chunk && owed) *owed -= chunk->size();
    if (!chunk) {
      res.body().data = nullptr;
      res.body().more = false;
    } else {
      self->chunk_ = std::move(*chunk);
      res.body().data = self->chunk_.data();
      res.body().size = self->chunk_.size();
      res.body().more = true;
    }
    bool last = !chunk;
    http::async_write(self->socket_, *self->serializer_, [self, last](beast::error_code ec, std::size_t) {
      if (ec == http::error::need_buffer) ec = {};
      if (ec) return self->close();
      if (!last) return self->pump();
      self->stream_.reset();
      self->serializer_.reset();
      self->stream_res_.reset();
      self->finish(self->stream_keep_alive_);
    });
  });
}

}  // namespace tseeder::daemon
