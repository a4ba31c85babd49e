// HTTP requests by route template, method and status, with a latency histogram. Kept on the event
// loop (sessions end there), so no lock: render it there too.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include "ops/prometheus_text.h"

namespace tseeder::ops {

class RequestMetrics {
 public:
  // `route` is the route's pattern (/jobs/{id}), never the path: ids would make a series each.
  void observe(const std::string& route, const std::string& method, unsigned status, double seconds);
  void render(PrometheusText& out) const;

 private:
  static constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5};
  struct Series {
    std::uint64_t count = 0;
    double sum = 0;
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // each counts the requests at or under it
  };
  std::map<std::tuple<std::string, std::string, unsigned>, std::uint64_t> requests_;
  std::map<std::pair<std::string, std::string>, Series> latency_;  // by route and method
};

}  // namespace tseeder::ops
