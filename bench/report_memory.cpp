// Peak memory beyond the dataset, and wall/CPU time, of one call of each
// per-deal report on the sample account (no event log), 2 threads:
//   dealstat_report_memory DEALS [funnel|stage_time|employees|unsorted|movement|funnel_q|employees_q|
//                                 stage_time_q|day_index ...]
// (funnel_q, employees_q: the questions of bench/compare: the quarter 2024-07-01 .. 2024-10-01,
// the funnel of pipeline id 3, Sales; stage_time_q: time in stage in that quarter; day_index: the
// two day indexes built again from the dataset's deal columns, as DatasetBuilder::build does.)
// For each report: resident set before the call, then the kernel's peak-RSS
// mark is reset (`echo 5 > /proc/self/clear_refs`) and read back after the
// call (VmHWM): the difference is what the report itself needed at its peak.
// Linux only; prints one line per report.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "dealstat/data/deal_day_index.hpp"
#include "dealstat/io/sample_generator.hpp"
#include "dealstat/reports/employees.hpp"
#include "dealstat/reports/funnel.hpp"
#include "dealstat/reports/movement.hpp"
#include "dealstat/reports/stage_time.hpp"
#include "dealstat/reports/unsorted_report.hpp"
#include "kernels/compare_quarter.hpp"

namespace {

// A field of /proc/self/status in kB (VmRSS, VmHWM).
long status_kb(const std::string& field) {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind(field + ":", 0) == 0) return std::strtol(line.c_str() + field.size() + 1, nullptr, 10);
  return -1;
}

double cpu_s() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s DEALS REPORT...\n", argv[0]);
    return 2;
  }
  dealstat::SampleOptions so;
  so.deals = std::strtoll(argv[1], nullptr, 10);
  so.events = false;
  const auto ds = dealstat::make_sample(so);
  std::printf("deals %lld, resident after build %.0f MB\n", static_cast<long long>(so.deals), status_kb("VmRSS") / 1024.0);
  for (int a = 2; a < argc; ++a) {
    const std::string r = argv[a];
    const long before = status_kb("VmRSS");
    std::ofstream("/proc/self/clear_refs") << "5";  // reset VmHWM to the current RSS
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = cpu_s();
    const dealstat::DealFilter quarter = dealstat_bench::compare_quarter_filter();
    if (r == "funnel" || r == "funnel_q") {
      dealstat::FunnelOptions o;
      o.threads = 2;
      if (r == "funnel_q") o.filter = dealstat_bench::compare_funnel_filter();
      (void)dealstat::funnel(*ds, o);
    } else if (r == "stage_time" || r == "stage_time_q") {
      dealstat::StageTimeOptions o;
      o.threads = 2;
      if (r == "stage_time_q") o.filter = quarter;
      (void)dealstat::stage_time(*ds, o);
    } else if (r == "day_index") {
      const auto& d = ds->deals();
      const std::size_t p = ds->pipelines().size();
      dealstat::DealDayIndex by_created, by_auto;
      std::thread t([&] { by_created = dealstat::DealDayIndex::build(p, d.pipeline, d.created_at, {}, d.deleted); });
      by_auto = dealstat::DealDayIndex::build(p, d.pipeline, d.created_at, d.closed_at, d.deleted);
      t.join();
      std::printf("day indexes: %.1f MB (auto: %u buckets x %u pipelines)\n",
                  static_cast<double>(by_created.bytes() + by_auto.bytes()) / (1024.0 * 1024.0), by_auto.buckets,
                  by_auto.pipelines);
    } else if (r == "employees" || r == "employees_q") {
      dealstat::EmployeesOptions o;
      o.threads = 2;
      if (r == "employees_q") o.filter = quarter;
      (void)dealstat::employees(*ds, o);
    } else if (r == "unsorted") {
      dealstat::UnsortedOptions o;
      o.threads = 2;
      (void)dealstat::unsorted_report(*ds, o);
    } else if (r == "movement") {
      dealstat::MovementOptions o;
      o.threads = 2;
      (void)dealstat::movement(*ds, o);
    } else {
      std::fprintf(stderr, "unknown report %s\n", r.c_str());
      return 2;
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = cpu_s() - c0;
    const long peak = status_kb("VmHWM");
    std::printf("%-10s wall %8.1f ms  cpu %8.1f ms  peak beyond the dataset %8.1f MB\n", r.c_str(), wall * 1e3,
                cpu * 1e3, (peak - before) / 1024.0);
  }
  return 0;
}
