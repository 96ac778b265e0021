// The filters of the compare questions (bench/compare/README.md): the quarter
// 2024-07-01 .. 2024-10-01 (local dates, date basis auto) and, for the funnel
// question, pipeline Sales (id 3) of the sample account. Shared by the funnel
// kernel (funnel_bench.cpp) and the memory driver (bench/report_memory.cpp,
// which is not linked with the kernels, so this header needs only dealstat).
#pragma once

#include "dealstat/reports/filter.hpp"
#include "dealstat/time/calendar.hpp"

namespace dealstat_bench {

//! The compare questions' quarter: period [2024-07-01, 2024-10-01), everything else the filter's default.
inline dealstat::DealFilter compare_quarter_filter() {
  dealstat::DealFilter f;
  f.period = {dealstat::make_date(2024, 7, 1), dealstat::make_date(2024, 10, 1)};
  return f;
}

//! The funnel question's filter: compare_quarter_filter() in pipeline Sales (id 3).
inline dealstat::DealFilter compare_funnel_filter() {
  // The pipeline is set on a fresh filter, before the period: assigning the literal to the copy that
  // compare_quarter_filter() returns trips GCC 12's -Wrestrict false positive under -Werror.
  dealstat::DealFilter f;
  f.pipeline = "3";
  f.period = compare_quarter_filter().period;
  return f;
}

}  // namespace dealstat_bench
