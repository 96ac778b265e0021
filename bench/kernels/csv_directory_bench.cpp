// Reading the CSV directory format (docs/csv-format.md): the 1M-deal sample
// without its event log (report_data.hpp) is written once per process with
// write_csv_directory to a scratch directory under $TMPDIR (removed at exit),
// then
//   BM_CsvReadStageChanges: read_csv_file over stage_changes.csv alone with an
//     empty callback: the tokenizer and record splitting (the "CSV reader");
//   BM_CsvReadDirectory: read_csv_directory into a builder: every file parsed
//     into rows (number and time parsing included), no build;
//   BM_CsvLoadDirectory: load_csv_directory: the above plus the strict build
//     and path index, what a report pays to load its data;
//   BM_CsvReadCore/with_changes:{0,1}: read_csv_directory over a directory of
//     account, users, pipelines, stages and deals only, without and with
//     stage_changes.csv (hard links to the same files): the difference is
//     what parsing stage_changes.csv into builder rows costs.
// Bytes processed are the size of stage_changes.csv in every case, so MB/s is
// comparable with the target (>= 100 MB/s of stage_changes.csv on one
// core); for the directory cases it understates the rate over all files.
// Recorded baseline (bench/results/reports.md; 2 cores, Debian 12, GCC 12,
// 2026-11-30, load average 11-15 from other builds; process CPU time;
// stage_changes.csv of 1M deals = 195 MB):
//   BM_CsvReadStageChanges 757 ms (257 MB/s); BM_CsvReadCore 569 ms without,
//   1931 ms with stage_changes.csv (its rows: 143 MB/s); BM_CsvReadDirectory
//   3.48 s; BM_CsvLoadDirectory 4.96 s.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <unistd.h>

#include "dealstat/io/csv_directory.hpp"
#include "dealstat/io/csv_reader.hpp"
#include "report_data.hpp"

namespace {

namespace ds = dealstat;
namespace fs = std::filesystem;

// The scratch directory, removed when the process ends.
struct CsvDir {
  fs::path dir;
  std::int64_t stage_changes_bytes = 0;
  std::int64_t total_bytes = 0;
  fs::path core[2];  // core files without / with stage_changes.csv
  ~CsvDir() {
    std::error_code ec;
    if (!dir.empty()) fs::remove_all(dir, ec);
  }
};

const CsvDir* csv_dir(benchmark::State& state) {
  static CsvDir d;
  static bool tried = false;
  if (!tried) {
    tried = true;
    if (const ds::Dataset* data = dealstat_bench::report_sample_or_skip(state, 1'000'000)) {
      d.dir = fs::temp_directory_path() / ("dealstat-bench-csv-" + std::to_string(::getpid()));
      ds::write_csv_directory(*data, d.dir.string());
      d.stage_changes_bytes = static_cast<std::int64_t>(fs::file_size(d.dir / "stage_changes.csv"));
      for (const auto& e : fs::directory_iterator(d.dir))
        d.total_bytes += static_cast<std::int64_t>(e.file_size());
      for (int k = 0; k < 2; ++k) {
        d.core[k] = d.dir / ("core" + std::to_string(k));
        fs::create_directory(d.core[k]);
        for (const char* f : {"account.csv", "users.csv", "pipelines.csv", "stages.csv", "deals.csv"})
          if (fs::exists(d.dir / f)) fs::create_hard_link(d.dir / f, d.core[k] / f);
        if (k == 1) fs::create_hard_link(d.dir / "stage_changes.csv", d.core[k] / "stage_changes.csv");
      }
    }
  }
  if (d.dir.empty()) {
    state.SkipWithError("no CSV directory");
    return nullptr;
  }
  return &d;
}

void BM_CsvReadStageChanges(benchmark::State& state) {
  const CsvDir* d = csv_dir(state);
  if (!d) return;
  const std::string path = (d->dir / "stage_changes.csv").string();
  std::int64_t records = 0;
  for (auto _ : state) {
    records = 0;
    ds::read_csv_file(path, [](const ds::CsvHeader&) {}, [&](const ds::CsvRecord& r) {
      benchmark::DoNotOptimize(r.fields.data());
      ++records;
    });
  }
  state.SetBytesProcessed(state.iterations() * d->stage_changes_bytes);
  state.counters["records"] = static_cast<double>(records);
}
BENCHMARK(BM_CsvReadStageChanges)->MeasureProcessCPUTime()->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_CsvReadDirectory(benchmark::State& state) {
  const CsvDir* d = csv_dir(state);
  if (!d) return;
  for (auto _ : state) {
    ds::DatasetBuilder b;
    ds::Problems problems;
    ds::read_csv_directory(d->dir.string(), b, ds::ValidationPolicy::strict, problems);
    benchmark::DoNotOptimize(b);
    state.PauseTiming();
    { ds::DatasetBuilder drop = std::move(b); }
    state.ResumeTiming();
  }
  state.SetBytesProcessed(state.iterations() * d->stage_changes_bytes);
  state.counters["dir_MB"] = static_cast<double>(d->total_bytes) / 1e6;
}
BENCHMARK(BM_CsvReadDirectory)->Iterations(3)->MeasureProcessCPUTime()->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_CsvLoadDirectory(benchmark::State& state) {
  const CsvDir* d = csv_dir(state);
  if (!d) return;
  for (auto _ : state) {
    ds::BuildResult r = ds::load_csv_directory(d->dir.string());
    benchmark::DoNotOptimize(r);
    state.PauseTiming();
    r.dataset.reset();
    state.ResumeTiming();
  }
  state.SetBytesProcessed(state.iterations() * d->stage_changes_bytes);
  state.counters["dir_MB"] = static_cast<double>(d->total_bytes) / 1e6;
}
BENCHMARK(BM_CsvLoadDirectory)->Iterations(3)->MeasureProcessCPUTime()->UseRealTime()->Unit(benchmark::kMillisecond);

// Args: with stage_changes.csv (0/1).
void BM_CsvReadCore(benchmark::State& state) {
  const CsvDir* d = csv_dir(state);
  if (!d) return;
  const std::string dir = d->core[state.range(0)].string();
  for (auto _ : state) {
    ds::DatasetBuilder b;
    ds::Problems problems;
    ds::read_csv_directory(dir, b, ds::ValidationPolicy::strict, problems);
    benchmark::DoNotOptimize(b);
    state.PauseTiming();
    { ds::DatasetBuilder drop = std::move(b); }
    state.ResumeTiming();
  }
  state.SetBytesProcessed(state.iterations() * d->stage_changes_bytes);
}
BENCHMARK(BM_CsvReadCore)
    ->ArgNames({"with_changes"})
    ->Arg(0)
    ->Arg(1)
    ->Iterations(3)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
