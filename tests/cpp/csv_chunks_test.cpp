// Tests of the chunked CSV read (src/io/csv_chunks.hpp, docs/csv-format.md
// "Reading in chunks"): wherever deals.csv and stage_changes.csv are cut,
// the dataset and the problems (file, line, field, value, message) are those
// of the one-chunk read, including cuts inside quoted fields that hold
// newlines; error lines in later chunks are the file's lines, worked out by
// hand below.
#include "io/csv_chunks.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <tuple>

#include "dataset_testing.hpp"
#include "dealstat/core/error.hpp"

namespace dealstat {
namespace {

namespace fs = std::filesystem;
using detail::CsvSplit;
using detail::load_csv_directory_split;
using testing::csv_fixture;
using testing::slurp;
using testing::spit;
using testing::TempDir;

using Where = std::tuple<std::string, std::int64_t, std::string, std::string, std::string>;

std::vector<Where> where(const Problems& ps) {
  std::vector<Where> out;
  for (const auto& p : ps) out.emplace_back(p.source, p.row, p.field, p.value, p.message);
  return out;
}

// The good account plus: in stage_changes.csv an extra `note` column whose quoted values hold newlines
// and commas, a blank line and a CRLF record; bad records late in both files (lenient problems, found
// while reading and by build(), whose line numbers come from the appended chunks' line runs).
struct Account {
  TempDir dir{"csvchunks"};
  Account() {
    for (const auto& e : fs::directory_iterator(csv_fixture("good"))) fs::copy_file(e.path(), dir.path() / e.path().filename());
    std::string deals = slurp(dir.path() / "deals.csv");
    deals += "abc,1,11,1705000000,,1,1,Bad,,,,,,0\n";  // line 14: malformed id
    deals += "\n";                                     // line 15: blank
    deals += "112,1,11,1705000000,,1,1,\"Two\nlines, \"\"quoted\"\"\",,,,,,0\n";  // lines 16-17
    deals += "113,1,11,1705000000,,-5,1,Negative,,,,,,0\n";  // line 18: negative budget
    deals += "114,1,11,1705000000,,1,77,Unknown user,,,,,,0\n";  // line 19: unknown user (found by build())
    spit(dir.path() / "deals.csv", deals);
    std::string changes = slurp(dir.path() / "stage_changes.csv");
    std::istringstream in(changes);
    std::string line, out;
    bool header = true;
    int n = 0;
    while (std::getline(in, line)) {
      if (!line.empty()) out += line + (header ? ",note" : (++n % 3 == 0 ? ",\"a\nb,\n\"\"c\"\"\"" : ",plain"));
      out += "\n";
      header = false;
    }
    // The good file has 21 lines (a header, a blank line, 19 records); every third record now spans 3
    // lines: 21 + 6 * 2 = 33.
    out += "101,yesterday,,10,,11,1,\"x\ny\"\n";  // lines 34-35: malformed timestamp
    out += "\r\n";                               // line 36: blank (CRLF)
    out += "1o1,1704952800,,10,,11,1,z\r\n";      // line 37: malformed deal id
    out += "999,1704952800,,10,,11,1,z\n";        // line 38: unknown deal (found by build())
    spit(dir.path() / "stage_changes.csv", out);
  }
  std::string str() const { return dir.str(); }
};

CsvSplit one_chunk() {
  CsvSplit s;
  s.chunk_bytes = 0;
  return s;
}

TEST(CsvChunks, TheAccountsProblemsAtTheirHandCountedLines) {
  Account a;
  auto r = load_csv_directory_split(a.str(), ValidationPolicy::lenient, one_chunk());
  std::vector<std::tuple<std::string, std::int64_t, std::string>> got;
  for (const auto& p : r.problems) got.emplace_back(p.source, p.row, p.field);
  EXPECT_EQ(got, (std::vector<std::tuple<std::string, std::int64_t, std::string>>{
                     {"deals.csv", 14, "id"},
                     {"deals.csv", 18, "budget"},
                     {"stage_changes.csv", 34, "at"},
                     {"stage_changes.csv", 37, "deal_id"},
                     {"deals.csv", 19, "responsible_user_id"},
                     {"stage_changes.csv", 38, "deal_id"}}));
  EXPECT_EQ(r.dataset->deals().size(), 12u);  // the good 11 and deal 112
  ASSERT_TRUE(r.dataset->find_deal(DealId{112}).has_value());
  EXPECT_EQ(r.dataset->str(r.dataset->deals().name[r.dataset->find_deal(DealId{112})->value]), "Two\nlines, \"quoted\"");
}

TEST(CsvChunks, EveryCutOfEitherFileGivesTheOneChunkResult) {
  Account a;
  const auto base = load_csv_directory_split(a.str(), ValidationPolicy::lenient, one_chunk());
  const auto base_where = where(base.problems);
  for (const char* file : {"deals.csv", "stage_changes.csv"}) {
    const auto size = fs::file_size(a.dir.path() / file);
    for (std::uint64_t cut = 0; cut <= size; ++cut) {
      SCOPED_TRACE(std::string(file) + " cut at byte " + std::to_string(cut));
      CsvSplit s;
      s.cuts = {cut};
      if (std::string(file) == "deals.csv") s.chunk_bytes = 0;
      auto r = load_csv_directory_split(a.str(), ValidationPolicy::lenient, s);
      EXPECT_EQ(where(r.problems), base_where);
      testing::expect_same_dataset(*base.dataset, *r.dataset);
      if (::testing::Test::HasFailure()) return;
    }
  }
}

TEST(CsvChunks, ChunksOfEverySizeGiveTheOneChunkResult) {
  Account a;
  const auto base = load_csv_directory_split(a.str(), ValidationPolicy::lenient, one_chunk());
  for (std::uint64_t bytes = 1; bytes <= 64; ++bytes) {
    for (unsigned threads : {1u, 2u, 3u}) {
      SCOPED_TRACE("chunks of " + std::to_string(bytes) + " bytes on " + std::to_string(threads) + " threads");
      CsvSplit s;
      s.chunk_bytes = bytes;
      s.threads = threads;
      auto r = load_csv_directory_split(a.str(), ValidationPolicy::lenient, s);
      EXPECT_EQ(where(r.problems), where(base.problems));
      testing::expect_same_dataset(*base.dataset, *r.dataset);
      if (::testing::Test::HasFailure()) return;
    }
  }
}

TEST(CsvChunks, CutInsideAQuotedNewlineIsParsedFromTheTrueRecordStart) {
  Account a;
  const std::string deals = slurp(a.dir.path() / "deals.csv");
  // Just after the newline inside deal 112's quoted name: the next line ("lines, ""quoted""",...) looks like
  // a record start but is not.
  const auto inside = deals.find("Two\n") + 4;
  CsvSplit s;
  s.cuts = {inside};
  s.chunk_bytes = 0;
  auto r = load_csv_directory_split(a.str(), ValidationPolicy::lenient, s);
  EXPECT_EQ(where(r.problems), where(load_csv_directory_split(a.str(), ValidationPolicy::lenient, one_chunk()).problems));
  EXPECT_EQ(r.dataset->str(r.dataset->deals().name[r.dataset->find_deal(DealId{112})->value]), "Two\nlines, \"quoted\"");
}

TEST(CsvChunks, StrictErrorInALaterChunkNamesTheFilesLine) {
  Account a;
  for (std::uint64_t bytes : {1u, 7u, 50u, 100u, 1u << 20}) {
    SCOPED_TRACE("chunks of " + std::to_string(bytes) + " bytes");
    CsvSplit s;
    s.chunk_bytes = bytes;
    try {
      load_csv_directory_split(a.str(), ValidationPolicy::strict, s);
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      // deals.csv's first problem is thrown, though stage_changes.csv's chunks are read at the same time.
      EXPECT_EQ(e.problem().source, "deals.csv");
      EXPECT_EQ(e.problem().row, 14);
      EXPECT_EQ(e.problem().field, "id");
      EXPECT_EQ(e.problem().value, "abc");
    }
  }
  // Without the deals.csv problems, stage_changes.csv's first: line 34, after 6 records of 3 lines.
  std::string deals = slurp(a.dir.path() / "deals.csv");
  deals.erase(deals.find("abc,"));
  spit(a.dir.path() / "deals.csv", deals);
  for (std::uint64_t bytes : {1u, 13u, 64u, 1u << 20}) {
    SCOPED_TRACE("chunks of " + std::to_string(bytes) + " bytes");
    CsvSplit s;
    s.chunk_bytes = bytes;
    try {
      load_csv_directory_split(a.str(), ValidationPolicy::strict, s);
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      EXPECT_EQ(e.problem().source, "stage_changes.csv");
      EXPECT_EQ(e.problem().row, 34);
      EXPECT_EQ(e.problem().field, "at");
      EXPECT_EQ(e.problem().value, "yesterday");
    }
  }
}

TEST(CsvChunks, UnclosedQuoteAtTheEndIsAParseErrorWithItsLine) {
  Account a;
  std::string changes = slurp(a.dir.path() / "stage_changes.csv");
  changes += "101,1704952800,,10,,11,1,\"open\nnever closed\n";  // line 39: the quote opens there
  spit(a.dir.path() / "stage_changes.csv", changes);
  for (std::uint64_t bytes : {0u, 1u, 30u}) {
    SCOPED_TRACE("chunks of " + std::to_string(bytes) + " bytes");
    CsvSplit s;
    s.chunk_bytes = bytes;
    try {
      load_csv_directory_split(a.str(), ValidationPolicy::lenient, s);
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::parse);
      EXPECT_EQ(e.problem().row, 39);
      EXPECT_EQ(e.problem().message, "quoted field is not closed before the end of the file");
    }
  }
}

TEST(CsvChunks, AHeaderOnlyFileAndAnEmptyFileReadAsBefore) {
  Account a;
  spit(a.dir.path() / "stage_changes.csv", "deal_id,at,to_stage_id\n");
  CsvSplit s;
  s.chunk_bytes = 1;
  auto r = load_csv_directory_split(a.str(), ValidationPolicy::lenient, s);
  EXPECT_EQ(r.dataset->deals().size(), 12u);
  spit(a.dir.path() / "stage_changes.csv", "");
  try {
    load_csv_directory_split(a.str(), ValidationPolicy::lenient, s);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.problem().source, (a.dir.path() / "stage_changes.csv").string());
    EXPECT_EQ(e.problem().message, "empty file: no header row");
  }
}

}  // namespace
}  // namespace dealstat
