// Chunked, multi-threaded reading of large CSV files (see csv_chunks.hpp).
//
// A file is cut at nominal offsets; each cut moves to the start of the next
// line (S_k). Chunk k parses the records that start in [S_k, S_k+1). Chunk
// 0 starts right after the header, a true record start; if chunk k-1 started
// at a true record start, its records are the file's, and it ends at the
// first record boundary at or after S_k: when that is S_k, chunk k started
// at a true record start too. When it is not (the cut fell inside a quoted
// field with a newline), chunk k is parsed again from where chunk k-1 ended.
// So the records, their lines and the problems are exactly those of one
// sequential read, whatever the cuts.
#include "io/csv_chunks.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>

#include "io/csv_range.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace dealstat {
inline namespace v1 {
namespace detail {

namespace {

constexpr std::uint64_t kNoLimit = std::numeric_limits<std::uint64_t>::max();

// One chunk's parse: its rows, problems and error with lines relative to the chunk's start.
struct Piece {
  bool ready = false;
  DatasetBuilder part;
  Problems problems;
  CsvRange range;
  std::exception_ptr error;
};

struct FileState {
  ChunkedTable* table = nullptr;
  std::optional<CsvHeader> header;
  ChunkParse parse;
  std::vector<std::uint64_t> starts;  // S_0 < S_1 < ... (chunk starts)
  std::vector<Piece> pieces;
  double bytes_per_record = 0;
  // Appending, under m:
  std::mutex m;
  std::size_t next = 0;            // next piece to append
  std::uint64_t expected = 0;      // where the appended records end
  std::int64_t line_base = 0;      // line of the first byte at `expected`
  std::atomic<bool> failed{false};
  std::exception_ptr error;        // with the file's lines

  std::uint64_t limit(std::size_t k) const { return k + 1 < starts.size() ? starts[k + 1] : kNoLimit; }
};

class ChunkReader {
 public:
  ChunkReader(DatasetBuilder& b, ValidationPolicy policy, const TimeZone& tz, int minor_digits)
      : b_(b), policy_(policy), tz_(tz), minor_digits_(minor_digits) {}

  // Reads the header and finds the chunk starts.
  void open(FileState& f, const CsvSplit& split) {
    const std::string path = f.table->path.string();
    const CsvRange head = read_csv_range(path, 0, 0, true, [&](const CsvHeader& h) { f.header.emplace(h); }, {});
    Problems none;
    Cells cells(f.table->name, *f.header, policy_, none, tz_, minor_digits_);
    f.parse = f.table->setup(cells);
    std::error_code ec;
    const std::uint64_t size = std::filesystem::file_size(f.table->path, ec);
    if (ec) throw Error(ErrorCode::io, Problem{path, 0, "", "", "cannot read file size: " + ec.message()});
    f.starts.push_back(head.end);
    std::vector<std::uint64_t> cuts = split.cuts;
    if (cuts.empty() && split.chunk_bytes > 0)
      for (std::uint64_t x = split.chunk_bytes; x < size; x += split.chunk_bytes) cuts.push_back(x);
    std::sort(cuts.begin(), cuts.end());
    for (std::uint64_t x : cuts) {
      if (x <= f.starts.back() || x >= size) continue;
      const std::uint64_t s = next_line_start(path, x - 1);
      if (s > f.starts.back() && s < size) f.starts.push_back(s);
    }
    f.pieces = std::vector<Piece>(f.starts.size());
    f.expected = head.end;
    f.line_base = 1 + head.lines;
    f.bytes_per_record = f.table->estimate > 0 ? static_cast<double>(size) / static_cast<double>(f.table->estimate) : 0;
  }

  // Parses the records starting in [begin, limit) into the piece.
  void parse(FileState& f, Piece& pc, std::uint64_t begin, std::uint64_t limit) {
    pc.part = DatasetBuilder();
    pc.problems.clear();
    pc.error = nullptr;
    if (f.bytes_per_record > 0 && limit != kNoLimit && limit > begin) {
      const auto n = static_cast<std::size_t>(static_cast<double>(limit - begin) / f.bytes_per_record * 1.02) + 16;
      const bool deals = f.table->append == &DatasetBuilder::append_deals;
      pc.part.reserve(deals ? n : 0, deals ? 0 : n);
    }
    Cells cells(f.table->name, *f.header, policy_, pc.problems, tz_, minor_digits_);
    try {
      pc.range = f.parse(f.table->path.string(), begin, limit, cells, pc.part);
    } catch (...) {
      pc.error = std::current_exception();
    }
  }

  // Appends the ready pieces that are next in file order; call with f.m held.
  void drain(FileState& f) {
    while (f.next < f.pieces.size() && f.pieces[f.next].ready) {
      const std::size_t k = f.next++;
      Piece& pc = f.pieces[k];
      if (f.failed) {
        pc = Piece();
        continue;
      }
      if (f.starts[k] != f.expected) parse(f, pc, f.expected, f.limit(k));  // the cut fell inside a record
      const std::int64_t offset = f.line_base - 1;
      if (pc.error) {
        try {
          std::rethrow_exception(pc.error);
        } catch (const Error& e) {
          Problem p = e.problem();
          if (p.row > 0) p.row += offset;
          f.error = std::make_exception_ptr(Error(e.code(), std::move(p)));
        } catch (...) {
          f.error = std::current_exception();
        }
        f.failed = true;
        pc = Piece();
        continue;
      }
      for (Problem& p : pc.problems) {
        if (p.row > 0) p.row += offset;
        f.table->problems.push_back(std::move(p));
      }
      (b_.*(f.table->append))(std::move(pc.part), offset);
      f.expected = pc.range.end;
      f.line_base += pc.range.lines;
      pc = Piece();
    }
  }

  // Parses piece k (or skips it once its file failed) and appends what is ready.
  void run(FileState& f, std::size_t k) {
    Piece& pc = f.pieces[k];
    try {
      if (!f.failed) parse(f, pc, f.starts[k], f.limit(k));
      std::lock_guard<std::mutex> lock(f.m);
      pc.ready = true;
      drain(f);
    } catch (...) {
      std::lock_guard<std::mutex> lock(f.m);
      if (!f.failed) f.error = std::current_exception();
      f.failed = true;
    }
  }

 private:
  DatasetBuilder& b_;
  ValidationPolicy policy_;
  const TimeZone& tz_;
  int minor_digits_;
};

}  // namespace

void read_tables_chunked(std::vector<ChunkedTable*> tables, DatasetBuilder& b, ValidationPolicy policy,
                         const TimeZone& tz, int minor_digits, const CsvSplit& split) {
  ChunkReader reader(b, policy, tz, minor_digits);
  std::vector<std::unique_ptr<FileState>> files;
  for (ChunkedTable* t : tables) {
    files.push_back(std::make_unique<FileState>());
    files.back()->table = t;
  }
  // Headers first, in file order, so a bad header is reported as in a sequential read.
  for (auto& f : files) {
    try {
      reader.open(*f, split);
    } catch (...) {
      f->error = std::current_exception();
      f->failed = true;
      break;
    }
  }
  // Work items: every chunk of every file, ordered by their position within their file, so that all
  // files progress together and each file's chunks are taken in order.
  struct Item {
    FileState* file;
    std::size_t k;
    double at;
  };
  std::vector<Item> items;
  for (auto& f : files) {
    if (f->failed) break;
    const double n = static_cast<double>(f->pieces.size());
    for (std::size_t k = 0; k < f->pieces.size(); ++k) items.push_back({f.get(), k, static_cast<double>(k) / n});
  }
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& c) { return a.at < c.at; });
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < items.size(); i = next++) reader.run(*items[i].file, items[i].k);
  };
  unsigned threads = split.threads != 0 ? split.threads : std::max(2u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(1, items.size())));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
#if defined(__GLIBC__)
  // The chunks' builders were freed on the worker threads; glibc keeps such memory in the threads' arenas
  // unless asked, and it would stay resident beside the dataset for the process's life.
  malloc_trim(0);
#endif
  for (auto& f : files)
    if (f->error) std::rethrow_exception(f->error);
}

}  // namespace detail
}  // namespace v1
}  // namespace dealstat
