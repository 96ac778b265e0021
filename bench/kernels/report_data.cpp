// Lazily built, shared sample datasets of the report benchmarks (report_data.hpp).
#include "report_data.hpp"

#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "dealstat/io/sample_generator.hpp"

namespace dealstat_bench {

namespace {

// Resident bytes a no-events sample needs per deal (1.08 kB measured at 1M, bench/results/sample_generator.md),
// with room for the builder's staging while it builds.
constexpr std::int64_t kBytesPerDeal = 1400;

std::map<std::int64_t, dealstat::DatasetPtr>& cache() {
  static std::map<std::int64_t, dealstat::DatasetPtr> c;
  return c;
}

}  // namespace

std::int64_t mem_available_bytes() {
  std::ifstream in("/proc/meminfo");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream s(line);
    std::string key;
    std::int64_t kb = 0;
    if (s >> key >> kb && key == "MemAvailable:") return kb * 1024;
  }
  return 0;
}

const dealstat::Dataset* report_sample(std::int64_t deals) {
  static std::mutex m;
  std::lock_guard lock(m);
  auto& c = cache();
  if (auto it = c.find(deals); it != c.end()) return it->second.get();
  const std::int64_t need = deals * kBytesPerDeal;
  if (mem_available_bytes() < need) c.clear();  // make room: drop the other sizes
  if (mem_available_bytes() < need) return nullptr;
  dealstat::SampleOptions o;
  o.deals = deals;
  o.events = false;
  return (c[deals] = dealstat::make_sample(o)).get();
}

const dealstat::Dataset* report_sample_or_skip(benchmark::State& state, std::int64_t deals) {
  const dealstat::Dataset* ds = report_sample(deals);
  if (!ds)
    state.SkipWithError(("not enough memory for " + std::to_string(deals) + " deals (MemAvailable " +
                         std::to_string(mem_available_bytes() >> 20) + " MiB)")
                            .c_str());
  return ds;
}

std::int64_t stage_changes(const dealstat::Dataset& ds) {
  return static_cast<std::int64_t>(ds.paths().offset.back()) - static_cast<std::int64_t>(ds.deals().size());
}

}  // namespace dealstat_bench
