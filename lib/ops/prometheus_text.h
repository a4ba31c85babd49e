// The Prometheus text exposition format (0.0.4), written by hand: Debian has no client library.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace tseeder::ops {

using Labels = std::vector<std::pair<std::string, std::string>>;

class PrometheusText {
 public:
  // Starts a family: its HELP and TYPE lines (counter, gauge, histogram).
  void family(const std::string& name, const std::string& type, const std::string& help);
  void sample(const std::string& name, const Labels& labels, double value);
  void sample(const std::string& name, double value) { sample(name, {}, value); }
  // One family with a single unlabelled sample.
  void single(const std::string& name, const std::string& type, const std::string& help, double value);
  std::string take() { return std::move(out_); }
  void append(const std::string& text) { out_ += text; }

 private:
  std::string out_;
};

}  // namespace tseeder::ops
