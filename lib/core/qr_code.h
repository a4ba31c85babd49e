// QR codes for payment links, drawn three ways: an SVG and a PNG for the web and mail, and UTF-8
// half blocks for a terminal. Each keeps the four-module quiet zone scanners need.
#pragma once
#include <string>
#include <vector>

namespace tseeder {

class QrCode {
 public:
  // Error correction M, byte mode; Error(invalid_argument) for text too long for a QR code.
  static QrCode encode(const std::string& text);
  int size() const { return size_; }  // modules per side, without the quiet zone
  bool dark(int x, int y) const;      // outside the code: false (the quiet zone is light)

  std::string svg(int module_px = 8) const;
  std::string png(int module_px = 8) const;
  // Two module rows per line: █ both light, ▀ the upper light, ▄ the lower light, a space both
  // dark. Light is drawn, as on a terminal's light-on-dark text; callers on a terminal set
  // those colours around each line.
  std::string terminal() const;

 private:
  int size_ = 0;
  std::vector<bool> modules_;
};

}  // namespace tseeder
