#include "core/qr_code.h"

#include <qrencode.h>
#include <zlib.h>

#include <memory>

#include "core/error.h"

namespace tseeder {
namespace {

constexpr int kQuiet = 4;  // modules of light border every side

void put_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

void png_chunk(std::string& out, const char* type, const std::string& data) {
  put_u32(out, static_cast<std::uint32_t>(data.size()));
  const std::string typed = std::string(type, 4) + data;
  out += typed;
  put_u32(out, static_cast<std::uint32_t>(
                   crc32(0, reinterpret_cast<const Bytef*>(typed.data()), static_cast<uInt>(typed.size()))));
}

}  // namespace

QrCode QrCode::encode(const std::string& text) {
  std::unique_ptr<QRcode, void (*)(QRcode*)> code(QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M), QRcode_free);
  if (!code || text.find('\0') != std::string::npos)
    throw Error(Errc::invalid_argument, "the text does not fit a QR code (" + std::to_string(text.size()) + " bytes)");
  QrCode q;
  q.size_ = code->width;
  q.modules_.resize(static_cast<std::size_t>(q.size_) * q.size_);
  for (std::size_t i = 0; i < q.modules_.size(); ++i) q.modules_[i] = (code->data[i] & 1) != 0;
  return q;
}

bool QrCode::dark(int x, int y) const {
  if (x < 0 || y < 0 || x >= size_ || y >= size_) return false;
  return modules_[static_cast<std::size_t>(y) * size_ + x];
}

std::string QrCode::svg(int module_px) const {
  const int side = size_ + 2 * kQuiet;
  std::string path;
  for (int y = 0; y < size_; ++y)
    for (int x = 0; x < size_; ++x)
      if (dark(x, y)) path += "M" + std::to_string(x + kQuiet) + " " + std::to_string(y + kQuiet) + "h1v1h-1z";
  const std::string n = std::to_string(side), px = std::to_string(side * module_px);
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + px +
         "\" height=\"" + px + "\" viewBox=\"0 0 " + n + " " + n + "\" shape-rendering=\"crispEdges\">" +
         "<rect width=\"" + n + "\" height=\"" + n + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path +
         "\"/></svg>\n";
}

std::string QrCode::png(int module_px) const {
  // Greyscale at one bit per pixel: 1 is white, 0 black; each row starts with filter 0 (none).
  const int side = (size_ + 2 * kQuiet) * module_px;
  const std::size_t row_bytes = (static_cast<std::size_t>(side) + 7) / 8;
  std::string raw;
  raw.reserve((row_bytes + 1) * side);
  for (int py = 0; py < side; ++py) {
    raw.push_back('\0');
    std::string row(row_bytes, '\0');
    for (int px = 0; px < side; ++px)
      if (!dark(px / module_px - kQuiet, py / module_px - kQuiet))
        row[px / 8] = static_cast<char>(row[px / 8] | (0x80 >> (px % 8)));
    raw += row;
  }
  uLongf packed_size = compressBound(static_cast<uLong>(raw.size()));
  std::string packed(packed_size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size, reinterpret_cast<const Bytef*>(raw.data()),
                static_cast<uLong>(raw.size()), Z_BEST_COMPRESSION) != Z_OK)
    throw Error(Errc::internal, "could not compress the QR code's image");
  packed.resize(packed_size);
  std::string header;
  put_u32(header, static_cast<std::uint32_t>(side));
  put_u32(header, static_cast<std::uint32_t>(side));
  header += std::string("\x01\x00\x00\x00\x00", 5);  // bit depth 1, greyscale, deflate, filter 0, no interlace
  std::string out = "\x89PNG\r\n\x1a\n";
  png_chunk(out, "IHDR", header);
  png_chunk(out, "IDAT", packed);
  png_chunk(out, "IEND", "");
  return out;
}

std::string QrCode::terminal() const {
  std::string out;
  for (int y = -kQuiet; y < size_ + kQuiet; y += 2) {
    for (int x = -kQuiet; x < size_ + kQuiet; ++x) {
      const bool upper_light = !dark(x, y), lower_light = y + 1 < size_ + kQuiet ? !dark(x, y + 1) : false;
      out += upper_light ? (lower_light ? "█" : "▀") : (lower_light ? "▄" : " ");
    }
    out += '\n';
  }
  return out;
}

}  // namespace tseeder
