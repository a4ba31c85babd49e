// Human units for terminals: sizes in IEC (KiB, MiB), rates per second, durations.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tseeder {

std::string format_bytes(std::uint64_t bytes);       // "1.5 MiB"
std::string format_rate(std::uint64_t bytes_per_s);  // "12.0 MiB/s"
std::string format_duration(std::int64_t seconds);   // "1h02m", "45s", "-" when unknown (< 0)

// "0", "512", "500k", "2M", "2MiB", "1.5G", "10MiB/s" → bytes (binary multiples); nullopt when
// malformed or beyond 2^50.
std::optional<std::uint64_t> parse_byte_size(std::string_view text);

}  // namespace tseeder
