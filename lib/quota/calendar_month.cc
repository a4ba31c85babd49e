#include "quota/calendar_month.h"

#include <chrono>
#include <cstdio>

namespace tseeder::quota {

CalendarMonth month_of(std::int64_t epoch_ms) {
  using namespace std::chrono;
  const sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(epoch_ms)));
  const year_month ym{year_month_day(day).year(), year_month_day(day).month()};
  const year_month next = ym + months(1);
  auto ms_of = [](year_month m) { return duration_cast<milliseconds>(sys_days(m / 1).time_since_epoch()).count(); };
  char name[16];
  std::snprintf(name, sizeof name, "%04d-%02u", static_cast<int>(ym.year()), static_cast<unsigned>(ym.month()));
  return {name, ms_of(ym), ms_of(next)};
}

}  // namespace tseeder::quota
