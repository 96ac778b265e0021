// The data the report kernels (funnel, stage_time, movement, dataset build,
// CSV load) share: the sample account without its event log
// (make_sample({deals = n, events = false}); about 4.9 stage changes per
// deal), built once per process on first use and kept for every later case.
// 1M deals take ~1.1 GB, 10M ~11 GB: before building a size the helper checks
// MemAvailable, drops the other cached sizes when they would not fit beside
// it, and returns nullptr (the case skips itself with a message) when even
// then there is not enough memory.
#pragma once

#include <cstdint>
#include <string>

#include <benchmark/benchmark.h>

#include "dealstat/data/dataset.hpp"

namespace dealstat_bench {

//! The sample with `deals` deals (no event log), built on first use; nullptr when memory is short (see above).
const dealstat::Dataset* report_sample(std::int64_t deals);

//! report_sample(), or skips the benchmark with the reason and returns nullptr.
const dealstat::Dataset* report_sample_or_skip(benchmark::State& state, std::int64_t deals);

//! MemAvailable from /proc/meminfo, bytes (0 when unknown).
std::int64_t mem_available_bytes();

//! The number of deal path entries minus the deals: the stage changes after creation.
std::int64_t stage_changes(const dealstat::Dataset& ds);

}  // namespace dealstat_bench
