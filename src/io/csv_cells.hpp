// Cells: reading the cells of one CSV record with file/line/column problems
// (a malformed number names the file, the line, the column and the value),
// and read_table, which maps a file's columns once and reads it record by
// record, skipping a bad record under the lenient policy. Shared by the CSV
// directory format and the mapped foreign exports. Private to the library.
#pragma once

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "dealstat/core/error.hpp"
#include "dealstat/io/csv_reader.hpp"
#include "dealstat/io/value_parsers.hpp"
#include "dealstat/time/time_zone.hpp"

namespace dealstat {
inline namespace v1 {
namespace detail {

// Thrown inside a record callback to skip the record under the lenient policy.
struct SkipRecord {};

// Eight ASCII bytes as a little-endian word (the digits of a cell, which is at least 8 bytes long).
[[gnu::always_inline]] inline std::uint64_t load8(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}
// Whether all eight bytes of w are '0'..'9': high nibble 3, and still 3 after adding 6 (no carry can
// cross bytes once every byte is at most 0x3F).
[[gnu::always_inline]] inline bool all_digits8(std::uint64_t w) {
  return (w & 0xF0F0F0F0F0F0F0F0ULL) == 0x3030303030303030ULL &&
         ((w + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) == 0x3030303030303030ULL;
}
// The value of eight ASCII digits (first byte most significant), by SWAR: pairs, then quads, then the
// two halves (Lemire's eight-digit parse).
[[gnu::always_inline]] inline std::uint64_t parse8(std::uint64_t w) {
  w -= 0x3030303030303030ULL;
  w = w * 10 + (w >> 8);
  w = (((w & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
       (((w >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >> 32;
  return w & 0xFFFFFFFFULL;
}

// Appends the n ASCII digits at p to v (v * 10 + digit, in order); false at the first byte that is not
// '0'..'9'. The caller bounds n so that v cannot overflow.
[[gnu::always_inline]] inline bool add_digits(const char* p, std::size_t n, std::uint64_t& v) {
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned d = static_cast<unsigned>(static_cast<unsigned char>(p[i])) - static_cast<unsigned>('0');
    if (d > 9) return false;
    v = v * 10 + d;
  }
  return true;
}

// The usual integer cell, '-' and 1 to 18 digits, parsed in place (no call, no optional on the stack;
// eight digits at a time on little-endian machines); false for anything else, which try_parse_int then
// accepts or rejects exactly as before. tests/cpp/csv_cells_test.cpp checks it against a digit loop.
[[gnu::always_inline]] inline bool fast_int(std::string_view t, std::int64_t& out) {
  const bool neg = !t.empty() && t[0] == '-';
  const char* p = t.data() + (neg ? 1 : 0);
  const std::size_t digits = t.size() - (neg ? 1 : 0);
  if (digits < 1 || digits > 18) return false;
  std::uint64_t v = 0;
  std::size_t i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  for (; digits - i >= 8; i += 8) {
    const std::uint64_t w = load8(p + i);
    if (!all_digits8(w)) return false;
    v = v * 100000000ULL + parse8(w);
  }
#endif
  if (!add_digits(p + i, digits - i, v)) return false;
  const auto s = static_cast<std::int64_t>(v);  // below 10^18
  out = neg ? -s : s;
  return true;
}

// The usual amount cell, 1 to 15 digits then, when minor_digits > 0, optionally '.' and exactly
// minor_digits digits (minor_digits 0..3), in minor units without a call; false for anything else, which
// try_parse_money then accepts or rejects exactly as before (same value: no rounding, no overflow here).
[[gnu::always_inline]] inline bool fast_money(std::string_view t, int minor_digits, std::int64_t& out) {
  if (minor_digits < 0 || minor_digits > 3) return false;
  const auto md = static_cast<std::size_t>(minor_digits);
  std::size_t n = t.size();  // integer digits
  if (md > 0 && n > md + 1 && t[n - md - 1] == '.') n -= md + 1;
  if (n < 1 || n > 15) return false;
  std::uint64_t v = 0, frac = 0;  // below 10^15 and 10^3
  if (!add_digits(t.data(), n, v)) return false;
  const std::size_t f = n == t.size() ? t.size() : n + 1;  // first fraction digit
  if (!add_digits(t.data() + f, t.size() - f, frac)) return false;
  for (std::size_t i = 0; i < md; ++i) v *= 10;
  out = static_cast<std::int64_t>(v + frac);
  return true;
}

// Parses the cells of one record, reporting bad cells under the policy.
class Cells {
 public:
  Cells(const std::string& source, const CsvHeader& header, ValidationPolicy policy, Problems& problems,
        const TimeZone& tz, int minor_digits)
      : source_(source), header_(header), policy_(policy), problems_(problems), tz_(tz), minor_digits_(minor_digits) {}

  //! Column position of a column that must be present.
  std::size_t col(std::string_view name) const { return header_.require(name, source_); }
  //! Column position, or npos when absent.
  std::size_t opt_col(std::string_view name) const {
    auto i = header_.find(name);
    return i ? *i : npos;
  }
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  void begin(const CsvRecord& r) { rec_ = &r; }
  // The cell readers below are forced inline: returned through the stack, a std::optional's flag byte
  // stalls the caller's load of it (a failed store-to-load forward), which cost a fifth of the read.
  [[gnu::always_inline]] std::string_view text(std::size_t c) const {
    return (c == npos || c >= rec_->fields.size()) ? std::string_view() : rec_->fields[c];
  }
  [[gnu::always_inline]] std::int64_t req_int(std::size_t c) {
    auto t = text(c);
    std::int64_t fast = 0;
    if (fast_int(t, fast)) return fast;
    if (t.empty()) fail(c, t, "value is required");
    auto v = try_parse_int(t);
    if (!v) fail(c, t, "not an integer");
    return *v;
  }
  [[gnu::always_inline]] std::optional<std::int64_t> opt_int(std::size_t c) {
    auto t = text(c);
    if (t.empty()) return std::nullopt;
    std::int64_t fast = 0;
    if (fast_int(t, fast)) return fast;
    auto v = try_parse_int(t);
    if (!v) fail(c, t, "not an integer");
    return v;
  }
  //! An optional integer as the builder stages it: kNoId when empty (opt_int's checks and problems).
  [[gnu::always_inline]] std::int64_t opt_id(std::size_t c) {
    auto t = text(c);
    if (t.empty()) return kNoId;
    std::int64_t fast = 0;
    if (fast_int(t, fast)) return fast;
    auto v = try_parse_int(t);
    if (!v) fail(c, t, "not an integer");
    return *v;
  }
  // The builder checks the range of timestamps and the sign of amounts too, but it only sees the
  // parsed number; checked here, the problem shows the value as written in the file.
  [[gnu::always_inline]] Timestamp req_time(std::size_t c) {
    auto t = text(c);
    if (t.empty()) fail(c, t, "value is required");
    std::optional<Timestamp> v;
    std::int64_t fast = 0;
    if (fast_int(t, fast)) v = Timestamp{fast};  // what try_parse_timestamp makes of an integer
    else v = try_parse_timestamp(t, tz_);
    if (!v) fail(c, t, "not a timestamp (Unix seconds or ISO 8601)");
    if (v->seconds < kMinValidTime || v->seconds > kMaxValidTime) fail(c, t, "timestamp out of range (1970..2100)");
    return *v;
  }
  [[gnu::always_inline]] std::optional<Timestamp> opt_time(std::size_t c) {
    if (text(c).empty()) return std::nullopt;
    return req_time(c);
  }
  //! An optional timestamp in Unix seconds, kNoTime when empty (opt_time's checks and problems).
  [[gnu::always_inline]] std::int64_t opt_seconds(std::size_t c) {
    if (text(c).empty()) return kNoTime;
    return req_time(c).seconds;
  }
  //! An amount; empty = 0. With `negative_message`, a negative amount is a problem with that message.
  [[gnu::always_inline]] Money money(std::size_t c, const char* negative_message = nullptr) {
    auto t = text(c);
    if (t.empty()) return Money{0};
    std::int64_t fast = 0;
    if (fast_money(t, minor_digits_, fast)) return Money{fast};  // never negative
    auto v = try_parse_money(t, minor_digits_);
    if (!v) fail(c, t, "not a decimal amount");
    if (negative_message != nullptr && v->minor < 0) fail(c, t, negative_message);
    return *v;
  }
  bool flag(std::size_t c) {
    auto t = text(c);
    if (t.empty()) return false;
    auto v = try_parse_bool(t);
    if (!v) fail(c, t, "not a boolean (true/false/1/0)");
    return *v;
  }
  [[noreturn]] void fail(std::size_t c, std::string_view value, const std::string& message) {
    Problem p{source_, rec_->line, c == npos ? std::string() : header_.names()[c], std::string(value), message};
    if (policy_ == ValidationPolicy::strict) throw Error(ErrorCode::invalid_data, std::move(p));
    problems_.push_back(std::move(p));
    throw SkipRecord{};
  }

 private:
  const std::string& source_;
  CsvHeader header_;
  ValidationPolicy policy_;
  Problems& problems_;
  const TimeZone& tz_;
  int minor_digits_;
  const CsvRecord* rec_ = nullptr;
};

// Reads one entity file; `setup` maps columns once, `row` reads one record.
template <class Setup>
void read_table(const std::filesystem::path& path, const std::string& name, ValidationPolicy policy, Problems& problems,
                const TimeZone& tz, int minor_digits, Setup setup) {
  std::unique_ptr<Cells> cells;
  std::function<void(Cells&, std::int64_t)> row;
  read_csv_file(
      path.string(),
      [&](const CsvHeader& h) {
        cells = std::make_unique<Cells>(name, h, policy, problems, tz, minor_digits);
        row = setup(*cells);
      },
      [&](const CsvRecord& r) {
        cells->begin(r);
        try {
          row(*cells, r.line);
        } catch (const SkipRecord&) {
        }
      });
}

}  // namespace detail
}  // namespace v1
}  // namespace dealstat
