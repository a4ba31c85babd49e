// Event streams from a daemon (or anything at that address): no crash, bounded output.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "net/sse_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tseeder::net::SseParser p;
  std::size_t total = 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  // Feed in two pieces to exercise buffering across calls.
  p.feed(in.substr(0, size / 2), [&](const tseeder::net::SseEvent& e) { total += e.data.size(); });
  p.feed(in.substr(size / 2), [&](const tseeder::net::SseEvent& e) { total += e.data.size(); });
  if (total > size) std::abort();
  return 0;
}
