// Benchmark of the amoCRM API v4 importer beside the CSV directory loader on
// the same data: the sample account (100k deals and its event log) written
// once as an amoCRM export (250 records a page; a page per file, and 40 pages
// per file) and as a CSV directory; MB/s is over the bytes of each folder.
// Recorded baseline: bench/results/amocrm_import.md.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <map>

#include "dealstat/io/amocrm.hpp"
#include "dealstat/io/csv_directory.hpp"
#include "dealstat/io/sample_generator.hpp"

namespace fs = std::filesystem;

namespace {

struct Folders {
  std::string json_pages, json_files, csv;
  std::int64_t events = 0, deals = 0;
};

// Writes the sample once per deal count (kept under the temp folder for the whole run).
const Folders& folders(std::int64_t deals) {
  static std::map<std::int64_t, Folders> made;
  auto it = made.find(deals);
  if (it != made.end()) return it->second;
  dealstat::SampleOptions o;
  o.deals = deals;
  auto ds = dealstat::make_sample(o);
  const fs::path base = fs::temp_directory_path() / ("dealstat_amocrm_bench_" + std::to_string(deals));
  fs::remove_all(base);
  Folders f{(base / "json_page_per_file").string(), (base / "json_40_pages_per_file").string(), (base / "csv").string(),
            static_cast<std::int64_t>(ds->events().size()), static_cast<std::int64_t>(ds->deals().size())};
  dealstat::write_amocrm(*ds, f.json_pages, {250, 1});
  dealstat::write_amocrm(*ds, f.json_files, {250, 40});
  dealstat::write_csv_directory(*ds, f.csv);
  return made.emplace(deals, f).first->second;
}

std::int64_t folder_bytes(const std::string& dir) {
  std::int64_t n = 0;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) n += static_cast<std::int64_t>(e.file_size());
  return n;
}

template <class Load>
void run(benchmark::State& state, const std::string& dir, const Folders& f, Load load) {
  const std::int64_t bytes = folder_bytes(dir);
  for (auto _ : state) {
    auto r = load(dir);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  state.counters["MB"] = static_cast<double>(bytes) / 1e6;
  state.counters["deals"] = static_cast<double>(f.deals);
  state.counters["events"] = static_cast<double>(f.events);
}

void BM_AmocrmImport_PagePerFile(benchmark::State& state) {
  const auto& f = folders(state.range(0));
  run(state, f.json_pages, f, [](const std::string& d) { return dealstat::import_amocrm(d); });
}
void BM_AmocrmImport_40PagesPerFile(benchmark::State& state) {
  const auto& f = folders(state.range(0));
  run(state, f.json_files, f, [](const std::string& d) { return dealstat::import_amocrm(d); });
}
// Reading alone (JSON parsing and the import rules), without the builder's validation and path index.
void BM_AmocrmReadOnly(benchmark::State& state) {
  const auto& f = folders(state.range(0));
  run(state, f.json_files, f, [](const std::string& d) {
    auto b = std::make_unique<dealstat::DatasetBuilder>();
    dealstat::Problems p;
    dealstat::read_amocrm(d, *b, dealstat::ValidationPolicy::strict, p);
    return b;
  });
}
void BM_CsvDirectoryLoad(benchmark::State& state) {
  const auto& f = folders(state.range(0));
  run(state, f.csv, f, [](const std::string& d) { return dealstat::load_csv_directory(d); });
}

}  // namespace

BENCHMARK(BM_AmocrmImport_PagePerFile)->Arg(100000)->Unit(benchmark::kMillisecond)->MinTime(2);
BENCHMARK(BM_AmocrmImport_40PagesPerFile)->Arg(100000)->Unit(benchmark::kMillisecond)->MinTime(2);
BENCHMARK(BM_AmocrmReadOnly)->Arg(100000)->Unit(benchmark::kMillisecond)->MinTime(2);
BENCHMARK(BM_CsvDirectoryLoad)->Arg(100000)->Unit(benchmark::kMillisecond)->MinTime(2);
