#include "verdict.h"

namespace tseeder::clamav {

namespace {
std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\0')) s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  return s;
}
bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}
}  // namespace

Verdict parse_result_text(const std::string& raw) {
  std::string text = trim(raw);
  if (text == "OK") return {TSEEDER_SCAN_CLEAN, ""};
  if (text == "FOUND" || ends_with(text, " FOUND")) {
    std::string name = trim(text.substr(0, text.size() - 5));
    return {TSEEDER_SCAN_INFECTED, name.empty() ? "unnamed signature" : name};
  }
  if (ends_with(text, " ERROR")) text = trim(text.substr(0, text.size() - 6));
  return {TSEEDER_SCAN_ERROR, text.empty() ? "ClamAV gave no answer" : text};
}

}  // namespace tseeder::clamav
