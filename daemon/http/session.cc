#include "http/session.h"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <limits>

#include "app.h"
#include "core/ids.h"
#include "http/connections.h"
#include "http/guard.h"
#include "http/http_status.h"
#include "http/log_path.h"
#include "http/router.h"
#include "http/server.h"
#include "logging.h"

namespace tseeder::daemon {

namespace beast = boost::beast;

namespace {

constexpr std::size_t kHeaderLimit = 16 * 1024;

bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  return true;
}

// What no route gets to see: requests smuggling could hide behind (RFC 9112 §6.1, §3.2).
std::optional<Reply> malformed(const http::request_parser<http::string_body>::value_type& h) {
  if (h.count(http::field::host) > 1)
    return error_reply(400, "BAD_REQUEST", "the request has more than one Host header");
  const auto te_count = h.count(http::field::transfer_encoding);
  if (te_count == 0) return std::nullopt;
  std::string te(h[http::field::transfer_encoding]);
  for (char& c : te) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!te.empty() && (te.back() == ' ' || te.back() == '\t')) te.pop_back();
  while (!te.empty() && (te.front() == ' ' || te.front() == '\t')) te.erase(0, 1);
  if (te_count > 1 || te != "chunked")
    return error_reply(501, errc_name(Errc::not_implemented),
                       "Transfer-Encoding '" + std::string(h[http::field::transfer_encoding]).substr(0, 60) +
                           "' is not supported; send the body as is with Content-Length, or chunked");
  return std::nullopt;
}

}  // namespace

Session::Session(Socket socket, Server& server, bool via_unix, Peer peer)
    : socket_(std::move(socket)),
      server_(server),
      connections_(server.connections()),
      limits_(server.limits()),
      via_unix_(via_unix),
      peer_(std::move(peer)),
      deadline_(socket_.get_executor()) {}

Session::~Session() {
  connections_->remove(this);
}

void Session::start() {
  connections_->add(this, weak_from_this(), peer_.address, via_unix_);
  read_request(true);
}

void Session::close() {
  closed_ = true;
  connections_->remove(this);
  disarm();
  if (stream_) stream_->cancel();
  stream_.reset();
  boost::system::error_code ec;
  socket_.shutdown(Socket::shutdown_both, ec);
  socket_.close(ec);
}

void Session::arm(std::chrono::seconds d) {
  const auto gen = ++deadline_gen_;
  deadline_.expires_after(d);
  deadline_.async_wait([weak = weak_from_this(), gen](const boost::system::error_code& ec) {
    auto self = weak.lock();
    if (ec || !self || gen != self->deadline_gen_) return;
    self->close();
  });
}

void Session::disarm() {
  ++deadline_gen_;
  deadline_.cancel();
}

void Session::read_request(bool first) {
  if (closed_) return;
  waiting_ = true;
  parser_.emplace();
  parser_->header_limit(kHeaderLimit);
  // The real limit is the route's, set once the header is routed; Beast checks Content-Length
  // against this one while still reading the header.
  parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
  // A new connection, or a pipelined request already buffered, must send its header in time; a
  // kept-alive connection may idle longer before its next request starts.
  if (first || buffer_.size() > 0) {
    arm(limits_.header_timeout);
    return read_header();
  }
  arm(limits_.idle_timeout);
  socket_.async_wait(Socket::wait_read, [self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || self->closed_) return;
    self->arm(self->limits_.header_timeout);
    self->read_header();
  });
}

void Session::read_header() {
  http::async_read_header(socket_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (!ec) return self->on_header();
    const bool garbled = ec.category() == http::make_error_code(http::error::bad_version).category() &&
                         ec != http::error::end_of_stream && ec != http::error::partial_message;
    if (!garbled) return self->close();  // gone, timed out or reset: nobody to answer
    self->disarm();
    self->waiting_ = false;
    self->started_ = std::chrono::steady_clock::now();
    self->req_ = Request{};
    self->req_.request_id = random_hex_id(8);
    self->respond(error_reply(400, "BAD_REQUEST", "malformed request: " + ec.message()), false);
  });
}

void Session::on_header() {
  disarm();
  waiting_ = false;
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
  route_ = nullptr;  // until this request is routed: an earlier one's must not name it
  if (qpos != std::string_view::npos) req_.query = parse_query(target.substr(qpos + 1));
  // A body we will not read poisons the connection, so error answers before the body close it.
  if (auto bad = malformed(h)) return respond(std::move(*bad), false);

  auto m = server_.router().match(h.method(), req_.path);
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
  if (parser_->is_done()) return on_body();
  read_body();
}

void Session::read_body() {
  arm(limits_.body_timeout);  // again after every piece: a body may be long, not stalled
  http::async_read_some(socket_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec == http::error::body_limit) {
      self->disarm();
      return self->respond(error_reply(413, "PAYLOAD_TOO_LARGE", "request body exceeds the limit for this route"),
                           false);
    }
    if (ec) {
      if (ec != boost::asio::error::operation_aborted) log(Level::debug, "http", "read body failed: " + ec.message());
      return self->close();
    }
    if (!self->parser_->is_done()) return self->read_body();
    self->disarm();
    self->on_body();
  });
}

void Session::on_body() {
  const auto& msg = parser_->get();
  req_.raw = &msg;
  const auto method = msg.method();
  grouped_ = method != http::verb::get && method != http::verb::head && method != http::verb::options;
  if (grouped_) server_.commits().join();
  if (route_->reads_store_only && server_.app().readers) return read_elsewhere(msg.keep_alive());
  handle([this] { return route_->handler(req_); }, msg.keep_alive());
}

void Session::read_elsewhere(bool keep) {
  // The session is idle meanwhile: nothing on the loop touches the request or the route.
  server_.app().readers->post([self = shared_from_this(), keep] {
    auto step = settled<Reply>([&] { return self->route_->handler(self->req_); });
    boost::asio::post(self->socket_.get_executor(), [self, step = std::move(step), keep] {
      if (!self->closed_) self->handle(step, keep);
    });
  });
}

void Session::handle(const Reply::LastStep& step, bool keep) {
  Reply reply;
  try {
    reply = step();
  } catch (const Error& e) {
    if (http_status_for(e.code()) >= 500)
      log(Level::error, "http", e.what(), {{"rid", req_.request_id}, {"path", log_path(req_.path)}});
    reply = error_reply(e);
  } catch (const std::exception& e) {
    log(Level::error, "http", std::string("unexpected: ") + e.what(),
        {{"rid", req_.request_id}, {"path", log_path(req_.path)}});
    reply = error_reply(500, "INTERNAL", "internal error; see the daemon log for request " + req_.request_id);
  }
  if (reply.deferred) {
    auto deferred = std::move(reply.deferred);
    return deferred([self = shared_from_this(), keep](Reply::LastStep last) {
      if (!self->closed_) self->handle(last, keep);
    });
  }
  try {
    audit_success(server_.app(), *route_, req_, reply);
  } catch (const std::exception& e) {
    log(Level::error, "audit", std::string("audit entry not written: ") + e.what(),
        {{"rid", req_.request_id}, {"path", log_path(req_.path)}});
  }
  if (grouped_) {
    // Answered once what it wrote is committed with the rest of the turn's writes.
    grouped_ = false;
    auto held = std::make_shared<Reply>(std::move(reply));
    return server_.commits().after_commit([self = shared_from_this(), held, keep](const Error* failed) {
      if (self->closed_) return;
      if (failed) return self->respond(error_reply(*failed), false);
      if (held->stream) return self->write_stream(std::move(*held), keep);
      self->respond(std::move(*held), keep);
    });
  }
  if (reply.stream) return write_stream(std::move(reply), keep);
  respond(std::move(reply), keep);
}

void Session::log_request(unsigned status) {
  const auto took = std::chrono::steady_clock::now() - started_;
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
  const std::string method(http::to_string(parser_->get().method()));
  server_.app().request_metrics.observe(route_ ? std::string(route_->pattern) : "unmatched", method, status,
                                        std::chrono::duration<double>(took).count());
  // Agents poll every second: their answered calls are routine.
  const bool routine = status == 200 && req_.path.starts_with("/fleet/v1/");
  log(status >= 500 ? Level::error
      : routine     ? Level::debug
                    : Level::info,
      "http", "request",
      {{"rid", req_.request_id},
       {"method", method},
       {"path", log_path(req_.path)},
       {"status", status},
       {"ms", ms},
       {"via", via_unix_ ? "unix" : "tcp"}});
}

void Session::respond(Reply reply, bool keep_alive) {
  log_request(reply.status);
  const unsigned version = parser_->get().version() == 10 ? 10 : 11;
  auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(reply.status), version);
  res->set(http::field::server, "tseederd/" TSEEDER_VERSION);
  res->set(http::field::content_type, reply.content_type);
  res->set("X-Request-Id", req_.request_id);
  for (auto& [k, v] : reply.headers) res->set(k, v);
  res->body() = std::move(reply.body);
  res->keep_alive(keep_alive);
  res->prepare_payload();
  arm(limits_.send_timeout);
  http::async_write(socket_, *res, [self = shared_from_this(), res, keep_alive](beast::error_code ec, std::size_t) {
    if (ec) return self->close();
    self->disarm();
    self->finish(keep_alive);
  });
}

void Session::finish(bool keep_alive) {
  if (keep_alive && !closed_) return read_request(false);
  // Answered and done: whatever the client still sends (an unread body) is read and dropped for
  // a while, so closing does not reset the connection before the client has the answer.
  boost::system::error_code ec;
  socket_.shutdown(Socket::shutdown_send, ec);
  waiting_ = true;
  arm(limits_.header_timeout);
  drain();
}

void Session::drain() {
  buffer_.consume(buffer_.size());
  socket_.async_read_some(buffer_.prepare(16 * 1024),
                          [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                            if (ec || self->closed_) return self->close();
                            self->drain();
                          });
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
  arm(limits_.send_timeout);
  http::async_write_header(socket_, *serializer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) return self->close();
    self->disarm();
    self->watch_hangup();
    self->pump();
  });
}

void Session::watch_hangup() {
  socket_.async_receive(boost::asio::buffer(&peek_, 1), Socket::message_peek,
                        [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                          if (self->closed_ || !self->stream_ || ec == boost::asio::error::operation_aborted) return;
                          // A byte waiting is a pipelined request, read once the stream is done.
                          if (ec || n == 0) self->close();
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
    // A client that takes nothing of the answer for a while is gone (or stalling on purpose).
    self->arm(self->limits_.send_timeout);
    http::async_write(self->socket_, *self->serializer_, [self, last](beast::error_code ec, std::size_t) {
      if (ec == http::error::need_buffer) ec = {};
      if (ec) return self->close();
      self->disarm();
      if (!last) return self->pump();
      boost::system::error_code ignored;
      self->socket_.cancel(ignored);  // the hang-up watch
      self->stream_.reset();
      self->serializer_.reset();
      self->stream_res_.reset();
      self->finish(self->stream_keep_alive_);
    });
  });
}

}  // namespace tseeder::daemon
