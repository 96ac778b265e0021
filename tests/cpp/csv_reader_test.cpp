// Tests of the CSV reader (csv_reader.hpp): RFC 4180 quoting, line numbers,
// CRLF, BOM, blank lines, header look-up and field writing.
#include "dealstat/io/csv_reader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "dealstat/core/error.hpp"

namespace dealstat {
namespace {

struct Parsed {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::int64_t> lines;
};

Parsed parse(std::string_view text) {
  Parsed out;
  read_csv_text(
      text, "test.csv", [&](const CsvHeader& h) { out.header = h.names(); },
      [&](const CsvRecord& r) {
        out.rows.emplace_back(r.fields.begin(), r.fields.end());
        out.lines.push_back(r.line);
      });
  return out;
}

using Row = std::vector<std::string>;

std::filesystem::path temp_file(const char* stem) {
  static std::atomic<int> counter{0};
  return std::filesystem::temp_directory_path() /
         (std::string("dealstat_csv_reader_") + stem + "_" + std::to_string(::getpid()) + "_" +
          std::to_string(counter++) + ".csv");
}

TEST(CsvReader, HeaderAndRecordsWithLineNumbers) {
  auto p = parse("a,b\n1,2\n3,4\n");
  EXPECT_EQ(p.header, (Row{"a", "b"}));
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[0], (Row{"1", "2"}));
  EXPECT_EQ(p.rows[1], (Row{"3", "4"}));
  EXPECT_EQ(p.lines, (std::vector<std::int64_t>{2, 3}));
}

TEST(CsvReader, LastRecordWithoutNewline) {
  auto p = parse("a,b\n1,2\n3,4");
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[1], (Row{"3", "4"}));
  EXPECT_EQ(p.lines[1], 3);
}

TEST(CsvReader, QuotedCommasAndDoubledQuotes) {
  auto p = parse("name,note\n\"Smith, John\",\"said \"\"hi\"\"\"\n\"\",x\n");
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[0], (Row{"Smith, John", "said \"hi\""}));
  EXPECT_EQ(p.rows[1], (Row{"", "x"}));
}

TEST(CsvReader, EmbeddedNewlinesKeepLaterLineNumbers) {
  auto p = parse("id,text\n1,\"one\ntwo\nthree\"\n2,plain\n3,\"x\r\ny\"\n4,z\n");
  ASSERT_EQ(p.rows.size(), 4u);
  EXPECT_EQ(p.rows[0][1], "one\ntwo\nthree");
  EXPECT_EQ(p.rows[2][1], "x\r\ny");
  EXPECT_EQ(p.lines, (std::vector<std::int64_t>{2, 5, 6, 8}));
}

TEST(CsvReader, CrlfReadsLikeLf) {
  auto lf = parse("a,b,c\n1,\"q\",x\n2,y,\"last\"\n");
  auto crlf = parse("a,b,c\r\n1,\"q\",x\r\n2,y,\"last\"\r\n");
  EXPECT_EQ(crlf.header, lf.header);
  EXPECT_EQ(crlf.rows, lf.rows);
  EXPECT_EQ(crlf.lines, lf.lines);
  EXPECT_EQ(crlf.rows[1][2], "last");
}

TEST(CsvReader, Utf8BomIsSkipped) {
  auto p = parse("\xEF\xBB\xBFid,name\n1,x\n");
  EXPECT_EQ(p.header, (Row{"id", "name"}));
}

TEST(CsvReader, Utf8BomBeforeQuotedHeader) {
  auto p = parse("\xEF\xBB\xBF\"id\",\"name\"\n1,x\n");
  EXPECT_EQ(p.header, (Row{"id", "name"}));
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.lines[0], 2);
}

TEST(CsvReader, BomOnlyFirstFieldOfFile) {
  // A BOM-looking sequence later in the file is data.
  auto p = parse("id,name\n1,\xEF\xBB\xBFx\n");
  EXPECT_EQ(p.rows[0][1], "\xEF\xBB\xBFx");
}

TEST(CsvReader, BlankLinesAreSkippedButCounted) {
  auto p = parse("\n\na,b\n\n1,2\r\n\r\n\n3,4\n\n");
  EXPECT_EQ(p.header, (Row{"a", "b"}));
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.lines, (std::vector<std::int64_t>{5, 8}));
}

TEST(CsvReader, CyrillicPassesThrough) {
  auto p = parse("имя,теги\nАнна,\"горячий;VIP\"\n");
  EXPECT_EQ(p.header, (Row{"имя", "теги"}));
  EXPECT_EQ(p.rows[0], (Row{"Анна", "горячий;VIP"}));
}

TEST(CsvReader, UnquotedSpacesTrimmedQuotedKept) {
  auto p = parse("a,b\n  x  ,\"  y  \"\n");
  EXPECT_EQ(p.rows[0], (Row{"x", "  y  "}));
}

TEST(CsvReader, ShortAndEmptyFields) {
  auto p = parse("a,b,c\n1\n,,\n");
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[0], (Row{"1"}));
  EXPECT_EQ(p.rows[1], (Row{"", "", ""}));
}

TEST(CsvReader, EmptyInputIsParseError) {
  for (std::string_view text : {std::string_view(""), std::string_view("\n\n"), std::string_view("\xEF\xBB\xBF")}) {
    try {
      parse(text);
      ADD_FAILURE() << "no error for empty input";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::parse);
      EXPECT_EQ(e.problem().source, "test.csv");
    }
  }
}

TEST(CsvReader, UnterminatedQuoteIsParseErrorAtRecordStart) {
  try {
    parse("a,b\n1,2\n3,\"never closed\n4,5\n");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::parse);
    EXPECT_EQ(e.problem().source, "test.csv");
    EXPECT_EQ(e.problem().row, 3);
  }
}

TEST(CsvReader, HeaderFindIsCaseInsensitiveAndTrimmed) {
  CsvHeader h({"Id", " Pipeline_ID ", "name"});
  EXPECT_EQ(h.find("id"), 0u);
  EXPECT_EQ(h.find("pipeline_id"), 1u);
  EXPECT_EQ(h.find("NAME"), 2u);
  EXPECT_FALSE(h.find("stage_id").has_value());
}

TEST(CsvReader, RequireNamesSourceAndColumn) {
  CsvHeader h({"id"});
  EXPECT_EQ(h.require("ID", "deals.csv"), 0u);
  try {
    h.require("stage_id", "deals.csv");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::parse);
    EXPECT_EQ(e.problem().source, "deals.csv");
    EXPECT_EQ(e.problem().field, "stage_id");
    EXPECT_EQ(e.problem().row, 1);
  }
}

TEST(CsvReader, MissingFileIsIoError) {
  const auto path = temp_file("missing");
  try {
    read_csv_file(path.string(), [](const CsvHeader&) {}, [](const CsvRecord&) {});
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::io);
    EXPECT_EQ(e.problem().source, path.string());
  }
}

TEST(CsvReader, FileAcrossChunkBoundaryKeepsFieldsAndLines) {
  // The file reader reads 4 MiB blocks; put a quoted multi-line field across the first boundary.
  const auto path = temp_file("chunks");
  std::string text = "id,text\n";
  std::int64_t line = 2;
  std::vector<std::int64_t> want_lines;
  int id = 0;
  while (text.size() < (4u << 20) - 20) {
    text += std::to_string(id++) + ",abcdefghijklmnopqrstuvwxyz\n";
    want_lines.push_back(line++);
  }
  const std::string big = "\"" + std::string(30, 'x') + "\n\"\"" + std::string(30, 'y') + "\"";
  text += std::to_string(id++) + "," + big + "\n";
  want_lines.push_back(line);
  line += 2;
  text += std::to_string(id++) + ",\xEF\xBB\xBF\n";
  want_lines.push_back(line++);
  {
    std::ofstream f(path, std::ios::binary);
    f << text;
  }
  std::vector<std::int64_t> lines;
  std::vector<std::string> last_two;
  read_csv_file(path.string(), [](const CsvHeader&) {},
                [&](const CsvRecord& r) {
                  lines.push_back(r.line);
                  last_two.emplace_back(r.fields[1]);
                  if (last_two.size() > 2) last_two.erase(last_two.begin());
                });
  std::filesystem::remove(path);
  EXPECT_EQ(lines, want_lines);
  ASSERT_EQ(last_two.size(), 2u);
  EXPECT_EQ(last_two[0], std::string(30, 'x') + "\n\"" + std::string(30, 'y'));
  EXPECT_EQ(last_two[1], "\xEF\xBB\xBF");
}

TEST(CsvReader, RecordLongerThanTheReadBlock) {
  // A quoted field of 9 MiB (over two 4 MiB blocks) with embedded newlines and doubled quotes: the reader
  // grows its buffer for it and the next record keeps its line number (2 + 3 newlines in the field).
  const auto path = temp_file("long");
  std::string value(9u << 20, 'v');
  value[100] = '\n';
  value[5u << 20] = '\n';
  value[(9u << 20) - 1] = '\n';
  value[200] = '"';
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  {
    std::ofstream f(path, std::ios::binary);
    f << "id,text\n1," << quoted << "\n2,after\n";
  }
  std::vector<std::int64_t> lines;
  std::vector<std::string> texts;
  read_csv_file(path.string(), [](const CsvHeader&) {},
                [&](const CsvRecord& r) {
                  lines.push_back(r.line);
                  texts.emplace_back(r.fields[1]);
                });
  std::filesystem::remove(path);
  EXPECT_EQ(lines, (std::vector<std::int64_t>{2, 6}));
  ASSERT_EQ(texts.size(), 2u);
  EXPECT_TRUE(texts[0] == value);
  EXPECT_EQ(texts[1], "after");
}

TEST(CsvReader, AppendFieldQuotesOnlyWhenNeeded) {
  auto field = [](std::string_view s) {
    std::string out;
    append_csv_field(out, s);
    return out;
  };
  EXPECT_EQ(field("plain"), "plain");
  EXPECT_EQ(field(""), "");
  EXPECT_EQ(field("Анна"), "Анна");
  EXPECT_EQ(field("a,b"), "\"a,b\"");
  EXPECT_EQ(field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(field(" lead"), "\" lead\"");
}

TEST(CsvReader, AppendFieldRoundTripsThroughReader) {
  const std::vector<std::string> values = {"plain", "", "a,b", "say \"hi\"", "two\nlines", "cr\r\nlf",
                                           " lead",  "trail ", "\ttab", "tab\t", "Дорого, нет бюджета", "\"",
                                           "x\r"};
  std::string text = "v\n";
  for (const auto& v : values) {
    std::string out;
    append_csv_field(out, v);
    text += "k," + out + "\n";
  }
  text.replace(0, 1, "k,v");
  auto p = parse(text);
  ASSERT_EQ(p.rows.size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    ASSERT_EQ(p.rows[i].size(), 2u) << i;
    EXPECT_EQ(p.rows[i][1], values[i]) << "value " << i;
  }
}

// The scanner's eight-bytes-at-a-time split (csv_scanner.hpp) against a splitter written here on random
// texts: unquoted fields with blanks around them, empty fields, blank and blank-only lines, CRLF, quoted
// fields with commas and spaces inside (which send the record to the state machine), with and without a
// final newline, so the stop bytes fall at every position of the eight.
TEST(CsvReader, RandomTextsSplitLikeAPlainSplitter) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  auto reference = [&](const std::string& text) {
    std::vector<std::vector<std::string>> records;
    std::vector<std::int64_t> lines;
    std::size_t b = 0;
    for (std::int64_t line = 1; b < text.size(); ++line) {
      std::size_t e = text.find('\n', b);
      if (e == std::string::npos) e = text.size();
      const std::string l = text.substr(b, e - b);
      b = e + 1;
      if (l.find_first_of(",\"") == std::string::npos && std::all_of(l.begin(), l.end(), blank)) continue;
      std::vector<std::string> fields;
      std::size_t i = 0;
      for (;;) {
        while (i < l.size() && blank(l[i])) ++i;
        if (i < l.size() && l[i] == '"') {
          const std::size_t close = l.find('"', i + 1);
          fields.push_back(l.substr(i + 1, close - i - 1));
          i = close + 1;
          while (i < l.size() && blank(l[i])) ++i;
        } else {
          std::size_t j = i;
          while (j < l.size() && l[j] != ',') ++j;
          std::size_t k = j;
          while (k > i && blank(l[k - 1])) --k;
          fields.push_back(l.substr(i, k - i));
          i = j;
        }
        if (i >= l.size()) break;
        ++i;  // ','
      }
      records.push_back(fields);
      lines.push_back(line);
    }
    return std::make_pair(records, lines);
  };
  std::mt19937_64 rng(4096);
  const std::string chars = "abcxyz0123456789 \t\r.-";
  for (int k = 0; k < 3000; ++k) {
    std::string text;
    const std::size_t n_lines = 1 + rng() % 6;
    for (std::size_t l = 0; l < n_lines; ++l) {
      const std::size_t n_fields = rng() % 7;
      for (std::size_t f = 0; f < n_fields; ++f) {
        if (f > 0) text.push_back(',');
        if (rng() % 10 == 0) {
          text.push_back('"');
          for (std::size_t c = rng() % 6; c > 0; --c) text.push_back(", ab"[rng() % 4]);
          text.push_back('"');
        } else {
          for (std::size_t c = rng() % 12; c > 0; --c) text.push_back(chars[rng() % chars.size()]);
        }
      }
      if (l + 1 < n_lines || rng() % 2 == 0) text.push_back('\n');
    }
    const auto [records, lines] = reference(text);
    if (records.empty()) continue;  // no header: an error, tested elsewhere
    const Parsed got = parse(text);
    ASSERT_EQ(got.header, records[0]) << text;
    ASSERT_EQ(got.rows, std::vector<std::vector<std::string>>(records.begin() + 1, records.end())) << text;
    ASSERT_EQ(got.lines, std::vector<std::int64_t>(lines.begin() + 1, lines.end())) << text;
  }
}

}  // namespace
}  // namespace dealstat
