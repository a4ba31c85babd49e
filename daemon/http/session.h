// One HTTP/1.1 connection: read header, route, read body within the route's limit, answer
// (whole or streamed), repeat while keep-alive. Every wait on the client has a deadline.
#pragma once
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "http/peer.h"
#include "http/request.h"
#include "http/router.h"

namespace tseeder::daemon {

class Server;
class Connections;
struct ConnectionLimits;

class Session : public std::enable_shared_from_this<Session> {
 public:
  using Socket = boost::asio::generic::stream_protocol::socket;
  Session(Socket socket, Server& server, bool via_unix, Peer peer);
  ~Session();
  void start();
  void close();  // drops any stream and the connection
  // Between requests or inside a request's header: nothing would be lost by closing it.
  bool waiting() const { return waiting_; }

 private:
  void read_request(bool first);
  void read_header();
  void on_header();
  void read_body();
  void on_body();
  // Runs a handler (or a deferred answer's last step) and answers with what it gives.
  void handle(const Reply::LastStep& step, bool keep_alive);
  // A route that only reads the store: its handler runs on a reader thread, the rest here.
  void read_elsewhere(bool keep_alive);
  void respond(Reply reply, bool keep_alive);
  void write_stream(Reply reply, bool keep_alive);
  void pump();
  // While a stream runs nothing is read, so a client hanging up is noticed by peeking.
  void watch_hangup();
  void finish(bool keep_alive);
  void drain();  // reads and drops what a client sends after its last answer, until it closes
  void log_request(unsigned status);
  // Closes the connection unless disarmed (or re-armed) within `d`.
  void arm(std::chrono::seconds d);
  void disarm();

  Socket socket_;
  Server& server_;
  std::shared_ptr<Connections> connections_;
  const ConnectionLimits& limits_;
  bool via_unix_;
  Peer peer_;
  boost::asio::steady_timer deadline_;
  std::uint64_t deadline_gen_ = 0;  // a deadline that fired after it was re-armed is stale
  bool waiting_ = true;
  boost::beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Request req_;
  std::string target_path_;
  std::chrono::steady_clock::time_point started_;
  const Route* route_ = nullptr;
  bool grouped_ = false;  // a mutating request: its answer waits for the turn's commit
  // Streaming state.
  std::shared_ptr<BodyStream> stream_;
  std::optional<http::response<http::buffer_body>> stream_res_;
  std::optional<http::response_serializer<http::buffer_body>> serializer_;
  std::string chunk_;
  char peek_ = 0;
  bool stream_keep_alive_ = false;
  // Bytes a stream still owes its Content-Length: a stream ending early must not leave a client
  // waiting on a kept-alive connection for bytes that never come.
  std::optional<std::uint64_t> stream_owed_;
  bool closed_ = false;
};

}  // namespace tseeder::daemon
