#include "plugin/scanner.h"

namespace tseeder::plugin {

ScanVerdict Scanner::scan(const std::string& path) const {
  char detail[512] = {0};
  const auto verdict = api_.scan(self_, path.c_str(), detail, sizeof detail);
  detail[sizeof detail - 1] = '\0';
  switch (verdict) {
    case TSEEDER_SCAN_CLEAN:
      return {ScanVerdict::Kind::clean, detail};
    case TSEEDER_SCAN_INFECTED:
      return {ScanVerdict::Kind::infected, detail[0] ? detail : "unnamed signature"};
    default:
      return {ScanVerdict::Kind::error, detail[0] ? detail : name_ + " gave no reason"};
  }
}

}  // namespace tseeder::plugin
