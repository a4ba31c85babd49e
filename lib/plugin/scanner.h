// C++ face of a scanner plugin. Scans run on pipeline threads; plugins must allow concurrent calls.
#pragma once
#include <string>

#include "tseeder/plugin.h"

namespace tseeder::plugin {

struct ScanVerdict {
  enum class Kind { clean, infected, error } kind = Kind::error;
  std::string detail;  // signature name when infected, the reason on error
};

class Scanner {
 public:
  Scanner(std::string name, const tseeder_scanner_api& api, void* self)
      : name_(std::move(name)), api_(api), self_(self) {}
  const std::string& name() const { return name_; }
  ScanVerdict scan(const std::string& path) const;

 private:
  std::string name_;
  tseeder_scanner_api api_;
  void* self_;
};

}  // namespace tseeder::plugin
