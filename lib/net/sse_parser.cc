#include "net/sse_parser.h"

namespace tseeder::net {

void SseParser::feed(std::string_view bytes, const std::function<void(const SseEvent&)>& on_event) {
  buffer_.append(bytes);
  std::size_t start = 0;
  for (;;) {
    auto nl = buffer_.find('\n', start);
    if (nl == std::string::npos) break;
    std::string_view l(buffer_.data() + start, nl - start);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    line(l, on_event);
    start = nl + 1;
  }
  buffer_.erase(0, start);
}

void SseParser::line(std::string_view l, const std::function<void(const SseEvent&)>& on_event) {
  if (l.empty()) {  // blank line: dispatch
    if (has_data_) {
      if (current_.event.empty()) current_.event = "message";
      on_event(current_);
    }
    current_ = SseEvent{};
    has_data_ = false;
    return;
  }
  if (l.front() == ':') return;  // comment (keep-alive)
  auto colon = l.find(':');
  std::string_view field = l.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view() : l.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field == "data") {
    if (has_data_) current_.data.push_back('\n');
    current_.data.append(value);
    has_data_ = true;
  } else if (field == "event") {
    current_.event = std::string(value);
  } else if (field == "id") {
    current_.id = std::string(value);
  }
}

}  // namespace tseeder::net
