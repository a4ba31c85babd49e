// Incremental parser for a text/event-stream body (the WHATWG EventSource format).
#pragma once
#include <functional>
#include <string>
#include <string_view>

namespace tseeder::net {

struct SseEvent {
  std::string id;     // empty when the event carried none
  std::string event;  // "message" when unnamed
  std::string data;   // data lines joined with '\n'
};

class SseParser {
 public:
  // Feeds bytes as they arrive; calls `on_event` for every complete event.
  void feed(std::string_view bytes, const std::function<void(const SseEvent&)>& on_event);

 private:
  void line(std::string_view l, const std::function<void(const SseEvent&)>& on_event);
  std::string buffer_;
  SseEvent current_;
  bool has_data_ = false;
};

}  // namespace tseeder::net
