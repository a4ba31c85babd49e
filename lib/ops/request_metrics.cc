#include "ops/request_metrics.h"

#include <cstdio>

namespace tseeder::ops {

void RequestMetrics::observe(const std::string& route, const std::string& method, unsigned status, double seconds) {
  ++requests_[{route, method, status}];
  auto& s = latency_[{route, method}];
  ++s.count;
  s.sum += seconds;
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++s.buckets[i];
}

void RequestMetrics::render(PrometheusText& out) const {
  out.family("tseeder_http_requests_total", "counter", "HTTP requests answered, by route template, method and status");
  for (const auto& [key, n] : requests_) {
    const auto& [route, method, status] = key;
    out.sample("tseeder_http_requests_total", {{"route", route}, {"method", method}, {"code", std::to_string(status)}},
               static_cast<double>(n));
  }
  out.family("tseeder_http_request_duration_seconds", "histogram",
             "time from a request's arrival to its answer's first byte, by route template and method");
  for (const auto& [key, s] : latency_) {
    const auto& [route, method] = key;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      char le[16];
      std::snprintf(le, sizeof le, "%g", kBuckets[i]);
      out.sample("tseeder_http_request_duration_seconds_bucket", {{"route", route}, {"method", method}, {"le", le}},
                 static_cast<double>(s.buckets[i]));
    }
    out.sample("tseeder_http_request_duration_seconds_bucket", {{"route", route}, {"method", method}, {"le", "+Inf"}},
               static_cast<double>(s.count));
    out.sample("tseeder_http_request_duration_seconds_sum", {{"route", route}, {"method", method}}, s.sum);
    out.sample("tseeder_http_request_duration_seconds_count", {{"route", route}, {"method", method}},
               static_cast<double>(s.count));
  }
}

}  // namespace tseeder::ops
