// Tests of the CSV cell readers' integer fast path (src/io/csv_cells.hpp): fast_int, eight digits at a
// time, against a plain digit loop (the second implementation) and against try_parse_int, on edge strings
// and on random strings of digits with bytes next to '0'..'9' mixed in.
#include "io/csv_cells.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>
#include <vector>

namespace dealstat {
namespace {

// '-' and 1 to 18 digits, digit by digit: what fast_int must accept, with its value.
std::optional<std::int64_t> reference(std::string_view s) {
  const bool neg = !s.empty() && s[0] == '-';
  if (neg) s.remove_prefix(1);
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return neg ? -v : v;
}

void check(const std::string& s) {
  // The cell sits in a larger buffer, as in the reader, with digits right after it.
  const std::string buf = "9" + s + "12345678";
  const std::string_view cell(buf.data() + 1, s.size());
  std::int64_t got = -7;
  const bool ok = detail::fast_int(cell, got);
  const auto want = reference(s);
  ASSERT_EQ(ok, want.has_value()) << '"' << s << '"';
  if (ok) {
    EXPECT_EQ(got, *want) << '"' << s << '"';
    EXPECT_EQ(try_parse_int(s), want) << '"' << s << '"';  // the slow path agrees where the fast one accepts
  }
}

TEST(CsvCells, FastIntEdgeStrings) {
  for (const char* s : {"", "-", "0", "-0", "7", "12345678", "123456789", "1672546755", "-1672546755",
                        "999999999999999999", "-999999999999999999", "1000000000000000000", "000000000000000001",
                        "1234567/", "1234567:", "/2345678", ":2345678", "12345678/", "1234567812345678:",
                        "+1", " 1", "1 ", "1e5", "12345678 ", "--1", "1-", "0x10", "１２"})
    check(s);
  // Each position of 1- to 18-digit numbers replaced by each byte next to the digits or far from them.
  for (std::size_t n = 1; n <= 19; ++n) {
    std::string digits;
    for (std::size_t i = 0; i < n; ++i) digits.push_back(static_cast<char>('1' + i % 9));
    check(digits);
    check("-" + digits);
    for (std::size_t i = 0; i < n; ++i)
      for (char bad : {'/', ':', ' ', '\0', '-', '\x80', '\xff', '\x3f', '\x40', '\x29'}) {
        std::string s = digits;
        s[i] = bad;
        check(s);
      }
  }
}

TEST(CsvCells, FastIntRandomStrings) {
  std::mt19937_64 rng(9);
  const std::string alphabet = "0123456789/:-+ .\x80\xff";
  for (int k = 0; k < 200000; ++k) {
    std::string s;
    const std::size_t n = rng() % 21;
    const bool mostly_digits = rng() % 4 != 0;
    for (std::size_t i = 0; i < n; ++i)
      s.push_back(mostly_digits && rng() % 16 != 0 ? static_cast<char>('0' + rng() % 10)
                                                   : alphabet[rng() % alphabet.size()]);
    check(s);
  }
}

// fast_money against try_parse_money (the general parser): wherever the fast path accepts, the value
// is the general parser's; and it accepts the usual cells.
void check_money(const std::string& s, int minor_digits) {
  const std::string buf = "7" + s + "9.99";
  std::int64_t got = -7;
  const bool ok = detail::fast_money(std::string_view(buf.data() + 1, s.size()), minor_digits, got);
  if (!ok) return;
  const auto want = try_parse_money(s, minor_digits);
  ASSERT_TRUE(want.has_value()) << '"' << s << "\" digits " << minor_digits;
  EXPECT_EQ(got, want->minor) << '"' << s << "\" digits " << minor_digits;
}

TEST(CsvCells, FastMoneyAgreesWithTryParseMoney) {
  std::int64_t v = 0;
  EXPECT_TRUE(detail::fast_money("533700.00", 2, v));
  EXPECT_EQ(v, 53370000);
  EXPECT_TRUE(detail::fast_money("44000", 2, v));
  EXPECT_EQ(v, 4400000);
  EXPECT_TRUE(detail::fast_money("0.5", 1, v));
  EXPECT_EQ(v, 5);
  EXPECT_TRUE(detail::fast_money("12", 0, v));
  EXPECT_EQ(v, 12);
  EXPECT_TRUE(detail::fast_money("999999999999999.999", 3, v));
  EXPECT_EQ(v, 999999999999999999);
  for (const char* s : {"", ".", ".00", "1.", "1.0", "1.000", "-1.00", "+1.00", "1,00", "1 .00", "12.3a",
                        "1e5", "1234567890123456", "1234567890123456.00", "0.00", "00012.30"})
    for (int d = 0; d <= 4; ++d) check_money(s, d);
  for (const char* s : {".00", "1.", "1.0", "1.000", "-1.00", "+1.00", "1,00", "12.3a", "1234567890123456"}) {
    EXPECT_FALSE(detail::fast_money(s, 2, v)) << s;
  }
  std::mt19937_64 rng(77);
  const std::string alphabet = "0123456789.-+ ,e";
  for (int k = 0; k < 200000; ++k) {
    std::string s;
    const std::size_t n = rng() % 20;
    for (std::size_t i = 0; i < n; ++i)
      s.push_back(rng() % 8 != 0 ? static_cast<char>('0' + rng() % 10) : alphabet[rng() % alphabet.size()]);
    check_money(s, static_cast<int>(rng() % 6) - 1);
  }
}

}  // namespace
}  // namespace dealstat
