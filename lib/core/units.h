// Human units for terminals: sizes in IEC (KiB, MiB), rates per second, durations.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tseeder {

// Every size and rate shown to people is in IEC units.
std::string format_bytes(std::uint64_t bytes);       // "1.5 MiB"
std::string format_rate(std::uint64_t bytes_per_s);  // "12.0 MiB/s"
std::string format_duration(std::int64_t seconds);   // "1h02m", "45s", "-" when unknown (< 0)

// "0", "512", "500k", "2M", "2MiB", "5GB", "1.5G", "10MiB/s" → bytes; nullopt when malformed or
// beyond 2^53. Units mean what they say: KiB, MiB, GiB, TiB are powers of 1024 and kB, MB, GB,
// TB powers of 1000; a bare k, M, G or T is binary, as curl and aria2 read "--limit-rate 1M".
std::optional<std::uint64_t> parse_byte_size(std::string_view text);

// "90", "90s", "15m", "2h", "7d" → seconds; nullopt when malformed, negative or over 10 years.
std::optional<std::int64_t> parse_duration_s(std::string_view text);

}  // namespace tseeder
