// dealstat side of the peer comparison (bench/compare/run_compare.py): loads a
// CSV directory with load_csv_directory (timed), then answers the benchmark
// questions with the library's reports, each several times, and prints the
// answers and the wall times as one JSON object on stdout.
//
//   dealstat_compare --data DIR [--from 2024-07-01] [--to 2024-10-01] [--pipeline 3]
//                    [--load-runs 1] [--runs 5] [--threads 0] [--questions funnel,stage_time,employees,movement]
//
// Memory: "rss_before_load_kb", "rss_after_load_kb" (resident, dataset loaded) and "load_peak_rss_kb"
// (high-water mark during the first load, reset through /proc/self/clear_refs) from /proc/self/status;
// "raw_bytes" is the size of the loaded dataset's columns (elements x element size, no slack).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "dealstat/io/csv_directory.hpp"
#include "dealstat/reports/employees.hpp"
#include "dealstat/reports/funnel.hpp"
#include "dealstat/reports/movement.hpp"
#include "dealstat/reports/stage_time.hpp"
#include "dealstat/time/calendar.hpp"

using namespace dealstat;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

long status_kb(const char* key) {
  std::ifstream f("/proc/self/status");
  std::string line;
  const std::size_t n = std::strlen(key);
  while (std::getline(f, line))
    if (line.compare(0, n, key) == 0 && line.size() > n && line[n] == ':') return std::stol(line.substr(n + 1));
  return -1;
}

void reset_peak_rss() {
  std::ofstream f("/proc/self/clear_refs");
  if (f) f << "5";
}

template <class T>
std::size_t bytes(const std::vector<T>& v) {
  return v.size() * sizeof(T);
}

// The dataset's columns at their element sizes (what any columnar engine must hold at least).
std::size_t raw_bytes(const Dataset& ds) {
  std::size_t n = 0;
  const auto& d = ds.deals();
  n += bytes(d.id) + bytes(d.name) + bytes(d.pipeline) + bytes(d.stage) + bytes(d.created_at) + bytes(d.closed_at) +
       bytes(d.budget_minor) + bytes(d.responsible) + bytes(d.channel) + bytes(d.loss_reason) + bytes(d.contact_id) +
       bytes(d.company_id) + bytes(d.deleted) + bytes(d.tags_offset) + bytes(d.tags);
  const auto& p = ds.paths();
  n += bytes(p.offset) + bytes(p.stage) + bytes(p.entered_at) + bytes(p.by_user) + bytes(p.implied);
  const auto& t = ds.tasks();
  n += bytes(t.id) + bytes(t.responsible) + bytes(t.created_at) + bytes(t.due_at) + bytes(t.completed_at) +
       bytes(t.entity_type) + bytes(t.entity_id) + bytes(t.type);
  for (const auto* s : {&ds.contacts(), &ds.companies(), &ds.customers(), &ds.invoices()})
    n += bytes(s->id) + bytes(s->created_at) + bytes(s->responsible);
  const auto& u = ds.unsorted();
  n += bytes(u.id) + bytes(u.channel) + bytes(u.created_at) + bytes(u.resolved_at) + bytes(u.outcome) +
       bytes(u.deal_id) + bytes(u.pipeline);
  const auto& pu = ds.purchases();
  n += bytes(pu.id) + bytes(pu.customer_id) + bytes(pu.at) + bytes(pu.amount_minor);
  const auto& e = ds.events();
  n += bytes(e.id.offsets) + e.id.bytes.size() + bytes(e.type) + bytes(e.entity_type) + bytes(e.entity_id) +
       bytes(e.at) + bytes(e.by_user) + bytes(e.value_before.offsets) + e.value_before.bytes.size() +
       bytes(e.value_after.offsets) + e.value_after.bytes.size();
  n += bytes(ds.strings().offsets()) + ds.strings().bytes().size();
  return n;
}

std::string num(double x) {
  if (!std::isfinite(x)) return "null";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

std::string times_json(const std::vector<double>& t) {
  std::string out = "[";
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (i) out.push_back(',');
    out += num(t[i]);
  }
  return out + "]";
}

// CPU time of the whole process (every thread), seconds.
double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Runs f `runs` times; records wall and CPU times and returns the last result.
template <class F>
auto timed(int runs, std::vector<double>& times, std::vector<double>& cpu, F f) {
  auto t0 = Clock::now();
  double c0 = cpu_now();
  auto r = f();
  times.push_back(seconds_since(t0));
  cpu.push_back(cpu_now() - c0);
  for (int i = 1; i < runs; ++i) {
    t0 = Clock::now();
    c0 = cpu_now();
    r = f();
    times.push_back(seconds_since(t0));
    cpu.push_back(cpu_now() - c0);
  }
  return r;
}

struct Args {
  std::string data;
  std::string from = "2024-07-01", to = "2024-10-01", pipeline = "3";
  int load_runs = 1, runs = 5;
  unsigned threads = 0;
  std::string questions = "funnel,stage_time,employees,movement";
};

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error("missing value for " + k);
      return argv[++i];
    };
    if (k == "--data") a.data = next();
    else if (k == "--from") a.from = next();
    else if (k == "--to") a.to = next();
    else if (k == "--pipeline") a.pipeline = next();
    else if (k == "--load-runs") a.load_runs = std::stoi(next());
    else if (k == "--runs") a.runs = std::stoi(next());
    else if (k == "--threads") a.threads = static_cast<unsigned>(std::stoul(next()));
    else if (k == "--questions") a.questions = next();
    else throw std::runtime_error("unknown argument " + k);
  }
  if (a.data.empty()) throw std::runtime_error("--data DIR is required");
  return a;
}

bool wants(const Args& a, const std::string& q) {
  std::string list = ",";
  list += a.questions;
  list.push_back(',');
  std::string item = ",";
  item += q;
  item.push_back(',');
  return list.find(item) != std::string::npos;
}

// Stage key as the peers write it: "pipeline_id:stage_id".
std::string stage_key(const Dataset& ds, std::uint32_t s) {
  return std::to_string(ds.pipelines().id[ds.stages().pipeline[s]]) + ":" + std::to_string(ds.stages().id[s]);
}

}  // namespace

int main(int argc, char** argv) try {
  const Args a = parse_args(argc, argv);
  std::ostringstream out;
  out << "{";

  // 5. Load.
  const long rss_before = status_kb("VmRSS");
  reset_peak_rss();
  std::vector<double> load_times, load_cpu;
  DatasetPtr ds;
  long load_peak = 0, rss_after = 0;
  for (int i = 0; i < a.load_runs; ++i) {
    ds.reset();
    auto t0 = Clock::now();
    const double c0 = cpu_now();
    ds = load_csv_directory(a.data).dataset;
    load_times.push_back(seconds_since(t0));
    load_cpu.push_back(cpu_now() - c0);
    if (i == 0) {
      load_peak = status_kb("VmHWM");
      rss_after = status_kb("VmRSS");
    }
  }
  out << "\"load\":{\"times_s\":" << times_json(load_times) << ",\"cpu_s\":" << times_json(load_cpu) << ",\"rss_before_load_kb\":" << rss_before
      << ",\"rss_after_load_kb\":" << rss_after << ",\"load_peak_rss_kb\":" << load_peak
      << ",\"raw_bytes\":" << raw_bytes(*ds) << ",\"deals\":" << ds->deals().size()
      << ",\"path_entries\":" << ds->paths().entries() << "}";

  DealFilter quarter;
  quarter.period.from = parse_date(a.from);
  quarter.period.to = parse_date(a.to);

  // 1. Funnel: one pipeline, one quarter, implied, date basis auto.
  if (wants(a, "funnel")) {
    FunnelOptions o;
    o.filter = quarter;
    o.filter.pipeline = a.pipeline;
    o.skip = SkipPolicy::implied;
    o.threads = a.threads;
    std::vector<double> t, c;
    const FunnelResult r = timed(a.runs, t, c, [&] { return funnel(*ds, o); });
    out << ",\"funnel\":{\"times_s\":" << times_json(t) << ",\"cpu_s\":" << times_json(c) << ",\"deals\":" << r.deals << ",\"rows\":[";
    for (std::size_t i = 0; i < r.stages.size(); ++i) {
      const auto& s = r.stages[i];
      out << (i ? "," : "") << "{\"stage\":" << quoted(stage_key(*ds, s.stage)) << ",\"reached\":" << s.reached
          << ",\"conversion_from_first_pct\":" << num(s.conversion_from_first_pct)
          << ",\"step_conversion_pct\":" << num(s.step_conversion_pct) << "}";
    }
    out << "]}";
  }

  // 2. Time in stage: all deals, as-of = the latest instant of the data.
  if (wants(a, "stage_time")) {
    StageTimeOptions o;
    o.threads = a.threads;
    std::vector<double> t, c;
    const StageTimeResult r = timed(a.runs, t, c, [&] { return stage_time(*ds, o); });
    out << ",\"stage_time\":{\"times_s\":" << times_json(t) << ",\"cpu_s\":" << times_json(c) << ",\"as_of_s\":" << r.as_of_s << ",\"rows\":[";
    for (std::size_t i = 0; i < r.stages.size(); ++i) {
      const auto& s = r.stages[i];
      out << (i ? "," : "") << "{\"stage\":" << quoted(stage_key(*ds, s.stage))
          << ",\"visits\":" << s.visits << ",\"completed_visits\":" << s.completed_visits
          << ",\"total_time_s\":" << s.total_time_s << ",\"share_pct\":" << num(s.share_pct)
          << ",\"mean_completed_s\":" << num(s.mean_completed_s)
          << ",\"median_completed_s\":" << num(s.median_completed_s) << "}";
    }
    out << "]}";
  }

  // 3. Employees: per user, deals closed in the quarter.
  if (wants(a, "employees")) {
    EmployeesOptions o;
    o.filter = quarter;
    o.threads = a.threads;
    std::vector<double> t, c;
    const EmployeesResult r = timed(a.runs, t, c, [&] { return employees(*ds, o); });
    out << ",\"employees\":{\"times_s\":" << times_json(t) << ",\"cpu_s\":" << times_json(c) << ",\"rows\":[";
    std::vector<const EmployeeRow*> rows;
    for (const auto& u : r.users) rows.push_back(&u);
    if (r.unassigned) rows.push_back(&*r.unassigned);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto& u = *rows[i];
      out << (i ? "," : "") << "{\"user_id\":" << (u.user_id == kNoId ? std::string("null") : std::to_string(u.user_id))
          << ",\"won\":" << u.won << ",\"won_budget_minor\":" << u.won_budget_minor << ",\"lost\":" << u.lost
          << ",\"win_rate_pct\":" << num(u.win_rate_pct)
          << ",\"median_time_to_close_s\":" << num(u.median_time_to_close_s) << "}";
    }
    out << "]}";
  }

  // 4. Movement: transitions from -> to per week of the quarter.
  if (wants(a, "movement")) {
    MovementOptions o;
    o.filter = quarter;
    o.bucket = Bucket::week;
    o.threads = a.threads;
    std::vector<double> t, c;
    const MovementResult r = timed(a.runs, t, c, [&] { return movement(*ds, o); });
    out << ",\"movement\":{\"times_s\":" << times_json(t) << ",\"cpu_s\":" << times_json(c) << ",\"rows\":[";
    for (std::size_t i = 0; i < r.transitions.size(); ++i) {
      const auto& m = r.transitions[i];
      out << (i ? "," : "") << "{\"week\":" << quoted(format_date(r.bucket_starts[m.bucket]))
          << ",\"from\":" << quoted(stage_key(*ds, m.from_stage)) << ",\"to\":" << quoted(stage_key(*ds, m.to_stage))
          << ",\"deals\":" << m.deals << "}";
    }
    out << "]}";
  }

  out << ",\"peak_rss_kb\":" << status_kb("VmHWM") << "}\n";
  std::cout << out.str();
  return 0;
} catch (const std::exception& e) {
  std::cerr << "dealstat_compare: " << e.what() << "\n";
  return 1;
}
