// The CSV scanner (see csv_reader.cpp for the grammar) as a template over
// the record handler, and the byte-range read built on it, so that a reader
// with a concrete handler (the chunked read of deals.csv and
// stage_changes.csv) gets the handler inlined into the scan loop instead of
// an indirect call per record. Private to the library.
#pragma once

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dealstat/core/error.hpp"
#include "dealstat/io/csv_reader.hpp"
#include "io/csv_range.hpp"

namespace dealstat {
inline namespace v1 {
namespace detail {

inline bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Bytes that stop the fast record split: delimiter, record end, quote.
inline constexpr std::array<bool, 256> kStops = [] {
  std::array<bool, 256> t{};
  t[static_cast<unsigned char>(',')] = true;
  t[static_cast<unsigned char>('\n')] = true;
  t[static_cast<unsigned char>('"')] = true;
  return t;
}();

inline std::string_view trimmed(const char* b, const char* e) {
  while (b < e && is_blank(*b)) ++b;
  while (e > b && is_blank(e[-1])) --e;
  return std::string_view(b, static_cast<std::size_t>(e - b));
}

// Splits a byte stream into records and hands them to the callbacks; `OnRecord` is called as
// on_record(const CsvRecord&) once per record (a concrete type lets the compiler inline the record
// handler into the scan loop: no indirect call per record).
template <class OnRecord>
class Scanner {
 public:
  Scanner(const std::string& source, const std::function<void(const CsvHeader&)>& on_header, OnRecord& on_record,
          bool header_seen = false)
      : source_(source), on_header_(on_header), on_record_(on_record), header_seen_(header_seen) {}

  // Parses the records of [p, end). Without `eof`, stops at a record that may continue past `end` and
  // returns where it starts; with `eof`, parses everything and returns `end`. After the header, a record
  // (or blank line) that starts at or after the stop set with set_stop is not parsed: parse returns
  // where it starts and stopped() is true.
  const char* parse(const char* p, const char* end, bool eof) {
    while (p < end) {
      if (stop_ != nullptr && header_seen_ && p >= stop_) {
        stopped_ = true;
        return p;
      }
      const char* next = fast_record(p, end, eof);
      if (next == nullptr) next = slow_record(p, end, eof);
      if (next == nullptr) return p;  // incomplete record: needs more input
      p = next;
    }
    return end;
  }

  //! Records starting at or after `stop` are not parsed (nullptr: no stop in this block).
  void set_stop(const char* stop) { stop_ = stop; }
  bool stopped() const { return stopped_; }
  //! Lines consumed so far (records, blank lines and newlines inside quoted fields).
  std::int64_t lines() const { return line_ - 1; }

  // Ends the input: a file without a header record is an error.
  void finish() const {
    if (!header_seen_) throw Error(ErrorCode::parse, Problem{source_, 1, "", "", "empty file: no header row"});
  }

 private:
  // A record without quotes: returns the position after it, or nullptr when it has a quote or may be
  // incomplete (no newline before `end` and not at the end of the input).
  const char* fast_record(const char* p, const char* end, bool eof) {
    fields_.clear();
    const char* field = p;
    const char* q = p;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    // Eight bytes at a time while eight remain: a bit per stop byte, taken in order.
    for (; end - q >= 8; q += 8) {
      for (std::uint64_t m = stop_bytes(q); m != 0; m &= m - 1) {
        const char* s = q + (__builtin_ctzll(m) >> 3);
        if (*s == ',') {
          fields_.push_back(trimmed(field, s));
          field = s + 1;
        } else if (*s == '"') {
          return nullptr;
        } else {
          return end_fast(field, s, end);  // '\n'
        }
      }
    }
#endif
    for (;;) {
      while (q < end && !kStops[static_cast<unsigned char>(*q)]) ++q;
      if (q == end) {
        if (!eof) return nullptr;
        break;
      }
      if (*q == ',') {
        fields_.push_back(trimmed(field, q));
        field = ++q;
        continue;
      }
      if (*q == '"') return nullptr;
      break;  // '\n'
    }
    return end_fast(field, q, end);
  }

  // Ends a record of fast_record at `q` (its '\n', or `end`): its last field, then the record.
  const char* end_fast(const char* field, const char* q, const char* end) {
    auto last = trimmed(field, q);
    if (!fields_.empty() || !last.empty()) fields_.push_back(last);
    emit(0);
    return q == end ? end : q + 1;
  }

  // 0x80 in each byte of the eight at p that is ',', '\n' or '"', 0 in the others (exact: no carry
  // crosses a byte, unlike the usual has-zero trick).
  static std::uint64_t stop_bytes(const char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
    auto zero = [](std::uint64_t x) { return ~(((x & kLow7) + kLow7) | x | kLow7); };
    return zero(w ^ 0x2C2C2C2C2C2C2C2CULL) | zero(w ^ 0x0A0A0A0A0A0A0A0AULL) | zero(w ^ 0x2222222222222222ULL);
  }

  // Any record, by libcsv's state machine (non-strict; quote '"', delimiter ',', spaces " \t\r",
  // terminator '\n'). Returns the position after the record, or nullptr when it may be incomplete.
  const char* slow_record(const char* p, const char* end, bool eof) {
    enum State { row_not_begun, field_not_begun, field_begun, field_might_have_ended };
    scratch_.clear();
    ends_.clear();
    State state = row_not_begun;
    bool quoted = false;
    std::size_t spaces = 0;
    std::int64_t newlines = 0;
    auto submit_field = [&] {
      if (!quoted) scratch_.resize(scratch_.size() - spaces);
      ends_.push_back(scratch_.size());
      state = field_not_begun;
      quoted = false;
      spaces = 0;
    };
    for (const char* q = p; q < end; ++q) {
      const char c = *q;
      switch (state) {
        case row_not_begun:
        case field_not_begun:
          if (is_blank(c)) continue;
          if (c == '\n') {
            if (state == field_not_begun) submit_field();
            return finish_slow(q + 1, newlines);
          }
          if (c == ',') {
            submit_field();
          } else if (c == '"') {
            state = field_begun;
            quoted = true;
          } else {
            state = field_begun;
            quoted = false;
            scratch_.push_back(c);
          }
          break;
        case field_begun:
          if (c == '"') {
            scratch_.push_back(c);
            if (quoted) state = field_might_have_ended; else spaces = 0;
          } else if (c == ',') {
            if (quoted) scratch_.push_back(c); else submit_field();
          } else if (c == '\n') {
            if (!quoted) {
              submit_field();
              return finish_slow(q + 1, newlines);
            }
            scratch_.push_back(c);
            ++newlines;
          } else if (!quoted && is_blank(c)) {
            scratch_.push_back(c);
            ++spaces;
          } else {
            scratch_.push_back(c);
            spaces = 0;
          }
          break;
        case field_might_have_ended:
          if (c == ',' || c == '\n') {
            scratch_.resize(scratch_.size() - spaces - 1);  // the closing quote and spaces after it
            submit_field();
            if (c == '\n') return finish_slow(q + 1, newlines);
          } else if (is_blank(c)) {
            scratch_.push_back(c);
            ++spaces;
          } else if (c == '"') {
            if (spaces != 0) {
              spaces = 0;
              scratch_.push_back(c);
            } else {
              state = field_begun;  // a doubled quote: the first one is already in the field
            }
          } else {
            state = field_begun;
            spaces = 0;
            scratch_.push_back(c);
          }
          break;
      }
    }
    if (!eof) return nullptr;
    // End of input inside the record (what csv_fini does).
    if (state == field_begun && quoted)
      throw Error(ErrorCode::parse, Problem{source_, line_, "", "", "quoted field is not closed before the end of the file"});
    if (state == field_might_have_ended) {
      scratch_.resize(scratch_.size() - spaces - 1);
      spaces = 0;
      submit_field();
    } else if (state != row_not_begun) {
      submit_field();
    }
    return finish_slow(end, newlines);
  }

  const char* finish_slow(const char* next, std::int64_t newlines) {
    fields_.clear();
    std::size_t b = 0;
    for (auto e : ends_) {
      fields_.emplace_back(scratch_.data() + b, e - b);
      b = e;
    }
    emit(newlines);
    return next;
  }

  // Hands out the record in fields_ (none = a blank line) and advances the line count.
  void emit(std::int64_t extra_newlines) {
    const std::int64_t line = line_;
    line_ += 1 + extra_newlines;
    if (fields_.empty()) return;
    if (!header_seen_) {
      header_seen_ = true;
      on_header_(CsvHeader(std::vector<std::string>(fields_.begin(), fields_.end())));
    } else {
      on_record_(CsvRecord{fields_, line});
    }
  }

  const std::string& source_;
  const std::function<void(const CsvHeader&)>& on_header_;
  OnRecord& on_record_;
  std::vector<std::string_view> fields_;
  std::string scratch_;           // a quoted record's field bytes
  std::vector<std::size_t> ends_;  // end offset of each field in scratch_
  std::int64_t line_ = 1;          // line where the next record starts
  bool header_seen_ = false;
  const char* stop_ = nullptr;     // see set_stop
  bool stopped_ = false;
};

// The length of a leading UTF-8 BOM (0 when there is none).
inline std::size_t bom_length(const char* data, std::size_t len) {
  return len >= 3 && std::memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

//! read_csv_range with a record handler of any type (see Scanner), inlined into the scan.
template <class OnRecord>
CsvRange read_csv_range_with(const std::string& path, std::uint64_t begin, std::uint64_t limit, bool header,
                             const std::function<void(const CsvHeader&)>& on_header, OnRecord& on_record) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) throw Error(ErrorCode::io, Problem{path, 0, "", "", std::string("cannot open file: ") + std::strerror(errno)});
  if (begin != 0 && fseeko(f.get(), static_cast<off_t>(begin), SEEK_SET) != 0)
    throw Error(ErrorCode::io, Problem{path, 0, "", "", std::string("cannot seek: ") + std::strerror(errno)});
  Scanner<OnRecord> scanner(path, on_header, on_record, !header);
  // Reads stop a little past `limit` (the record that straddles it is read on demand), so a chunk costs
  // the reading of its own bytes, and its buffer is no larger than it needs.
  constexpr std::uint64_t kSlack = 64 * 1024;
  const std::uint64_t span = limit > begin ? limit - begin : 0;
  std::vector<char> buf(static_cast<std::size_t>(std::min<std::uint64_t>(std::uint64_t{4} << 20, span + 2 * kSlack)));
  std::size_t have = 0;        // bytes in buf
  std::uint64_t at = begin;    // file offset of buf[0]
  bool first = begin == 0;
  for (;;) {
    std::size_t want = buf.size() - have;
    const std::uint64_t end = at + have;                                 // file offset of the next byte read
    const std::uint64_t to_limit = limit > end ? limit - end : 0;        // bytes left before the limit
    if (to_limit < want) want = static_cast<std::size_t>(std::min<std::uint64_t>(want, to_limit + kSlack));
    const std::size_t n = std::fread(buf.data() + have, 1, want, f.get());
    const bool eof = n < want;
    if (eof && std::ferror(f.get())) throw Error(ErrorCode::io, Problem{path, 0, "", "", "read error"});
    have += n;
    std::size_t start = 0;
    if (first) {
      first = false;
      start = bom_length(buf.data(), have);
    }
    scanner.set_stop(limit <= at + have ? buf.data() + (limit > at ? limit - at : 0) : nullptr);
    const char* stop = scanner.parse(buf.data() + start, buf.data() + have, eof);
    if (scanner.stopped()) return {at + static_cast<std::uint64_t>(stop - buf.data()), scanner.lines()};
    if (eof) break;
    const std::size_t rest = static_cast<std::size_t>(buf.data() + have - stop);
    at += static_cast<std::uint64_t>(stop - buf.data());
    std::memmove(buf.data(), stop, rest);
    have = rest;
    if (have == buf.size()) buf.resize(buf.size() * 2);
  }
  if (header) scanner.finish();
  return {at + have, scanner.lines()};
}

}  // namespace detail
}  // namespace v1
}  // namespace dealstat
