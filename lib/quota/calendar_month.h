// Monthly allowances run by calendar month in UTC.
#pragma once
#include <cstdint>
#include <string>

namespace tseeder::quota {

struct CalendarMonth {
  std::string name;           // "2026-11"
  std::int64_t start_ms = 0;  // first day, 00:00 UTC
  std::int64_t end_ms = 0;    // the next month's start
};

CalendarMonth month_of(std::int64_t epoch_ms);

}  // namespace tseeder::quota
