// One HTTP/1.1 connection: read header, route, read body within the route's limit, answer
// (whole or streamed), repeat while keep-alive.
#pragma once
#include <boost/asio/generic/stream_protocol.hpp>
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
struct SessionRegistry;

class Session : public std::enable_shared_from_this<Session> {
 public:
  using Socket = boost::asio::generic::stream_protocol::socket;
  Session(Socket socket, Server& server, bool via_unix);
  ~Session();
  void start();
  void close();  // server shutdown: drop any stream and the connection

 private:
  void read_header();
  void on_header();
  void on_body();
  void respond(Reply reply, bool keep_alive);
  void write_stream(Reply reply, bool keep_alive);
  void pump();
  void finish(bool keep_alive);
  void log_request(unsigned status);

  Socket socket_;
  Server& server_;
  std::shared_ptr<SessionRegistry> registry_;
  bool via_unix_;
  Peer peer_;
  boost::beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Request req_;
  std::string target_path_;
  std::chrono::steady_clock::time_point started_;
  const Route* route_ = nullptr;
  // Streaming state.
  std::shared_ptr<BodyStream> stream_;
  std::optional<http::response<http::buffer_body>> stream_res_;
  std::optional<http::response_serializer<http::buffer_body>> serializer_;
  std::string chunk_;
  bool stream_keep_alive_ = false;
  // Bytes a stream still owes its Content-Length: a stream ending early must not leave a client
  // waiting on a kept-alive connection for bytes that never come.
  std::optional<std::uint64_t> stream_owed_;
  bool closed_ = false;
};

}  // namespace tseeder::daemon
