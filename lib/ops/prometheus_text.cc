#include "ops/prometheus_text.h"

#include <cmath>
#include <cstdio>

namespace tseeder::ops {
namespace {

std::string escaped(const std::string& v, bool help) {
  std::string out;
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '"' && !help)
      out += "\\\"";
    else
      out += c;
  }
  return out;
}

std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

}  // namespace

void PrometheusText::family(const std::string& name, const std::string& type, const std::string& help) {
  out_ += "# HELP " + name + " " + escaped(help, true) + "\n# TYPE " + name + " " + type + "\n";
}

void PrometheusText::sample(const std::string& name, const Labels& labels, double value) {
  out_ += name;
  if (!labels.empty()) {
    out_ += '{';
    for (std::size_t i = 0; i < labels.size(); ++i)
      out_ += (i ? "," : "") + labels[i].first + "=\"" + escaped(labels[i].second, false) + "\"";
    out_ += '}';
  }
  out_ += " " + number(value) + "\n";
}

void PrometheusText::single(const std::string& name, const std::string& type, const std::string& help, double value) {
  family(name, type, help);
  sample(name, value);
}

}  // namespace tseeder::ops
