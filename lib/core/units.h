// Human units for terminals: sizes in IEC (KiB, MiB), rates per second, durations.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tseeder {

std::string format_bytes(std::uint64_t bytes);  // "1.5 MiB"
// Decimal units, as plans are sold: "5 GB", "500 MB", "1.5 TB".
std::string format_decimal_bytes(std::uint64_t bytes);
std::string format_rate(std::uint64_t bytes_per_s);  // "12.0 MiB/s"
std::string format_duration(std::int64_t seconds);   // "1h02m", "45s", "-" when unknown (< 0)

enum class SizeUnits {
  binary,   // k, M, G, T and kB, MB, … are powers of 1024 (rates, transfer sizes)
  decimal,  // k, M, G, T and kB, MB, … are powers of 1000 (plan limits); KiB, MiB, … stay binary
};
// "0", "512", "500k", "2M", "2MiB", "1.5G", "10MiB/s" → bytes; nullopt when malformed or beyond
// 2^50 (2^53 for decimal units, where 5 TB plans live).
std::optional<std::uint64_t> parse_byte_size(std::string_view text, SizeUnits units = SizeUnits::binary);

}  // namespace tseeder
