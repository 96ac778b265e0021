// Tests of the Arrow C data interface producer and consumer (core/arrow.hpp):
// a table exported and imported back is equal, nulls and NaN included; the
// exported memory outlives the producer's objects; bad streams are refused
// with the column named, and a consumed stream is always released.
#include "dealstat/core/arrow.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "dealstat/core/error.hpp"

namespace {

using dealstat::ArrowTable;
using dealstat::ColumnType;
using dealstat::Error;
using dealstat::ResultTable;

ResultTable sample_table() {
  ResultTable t;
  t.name = "sample";
  t.add("id", std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9});
  t.add("rate_pct", std::vector<double>{0.5, std::numeric_limits<double>::quiet_NaN(), 2, 3, 4, 5, 6, 7, 8},
        {1, 1, 0, 1, 1, 1, 1, 1, 0});
  t.add("stage", std::vector<std::string>{"New", "", "Заявка", "x", "y", "z", "w", "v", "u"});
  return t;
}

TEST(Arrow, LayoutPacksStringsAndBitmaps) {
  auto a = ArrowTable::make(sample_table());
  ASSERT_EQ(a->rows, 9);
  ASSERT_EQ(a->columns.size(), 3u);
  EXPECT_EQ(a->columns[0].null_count, 0);
  EXPECT_TRUE(a->columns[0].validity.empty());
  EXPECT_EQ(a->columns[1].null_count, 2);
  ASSERT_EQ(a->columns[1].validity.size(), 2u);
  EXPECT_EQ(a->columns[1].validity[0], 0b11111011);
  EXPECT_EQ(a->columns[1].validity[1], 0b0);
  EXPECT_EQ(a->columns[2].offsets.size(), 10u);
  EXPECT_EQ(a->columns[2].offsets[3] - a->columns[2].offsets[2], static_cast<std::int64_t>(std::strlen("Заявка")));
}

TEST(Arrow, RoundTripThroughTheStream) {
  ArrowArrayStream s;
  dealstat::export_arrow_stream(ArrowTable::make(sample_table()), &s);
  ResultTable back = dealstat::import_arrow_stream(&s, "back");
  EXPECT_EQ(s.release, nullptr);
  const ResultTable want = sample_table();
  ASSERT_EQ(back.columns.size(), 3u);
  EXPECT_EQ(back.name, "back");
  EXPECT_EQ(std::get<0>(back.columns[0].values), std::get<0>(want.columns[0].values));
  EXPECT_TRUE(back.columns[0].valid.empty());
  EXPECT_EQ(back.columns[1].valid, want.columns[1].valid);
  EXPECT_TRUE(std::isnan(std::get<1>(back.columns[1].values)[1]));  // NaN stays a value
  EXPECT_EQ(std::get<1>(back.columns[1].values)[3], 3.0);
  EXPECT_EQ(std::get<2>(back.columns[2].values), std::get<2>(want.columns[2].values));
}

TEST(Arrow, ExportedMemoryOutlivesTheTableAndTheStream) {
  ArrowArrayStream s;
  ArrowSchema schema;
  ArrowArray array;
  {
    auto t = ArrowTable::make(sample_table());
    dealstat::export_arrow_stream(t, &s);
  }
  ASSERT_EQ(s.get_schema(&s, &schema), 0);
  ASSERT_EQ(s.get_next(&s, &array), 0);
  s.release(&s);
  EXPECT_EQ(s.release, nullptr);
  ArrowArray child = *array.children[2];
  array.children[2]->release = nullptr;  // moved out
  array.release(&array);
  schema.release(&schema);
  const auto* off = static_cast<const std::int64_t*>(child.buffers[1]);
  const char* bytes = static_cast<const char*>(child.buffers[2]);
  EXPECT_EQ(std::string(bytes + off[0], static_cast<std::size_t>(off[1] - off[0])), "New");
  child.release(&child);
  EXPECT_EQ(child.release, nullptr);
}

TEST(Arrow, EndOfStreamIsAReleasedArray) {
  ArrowArrayStream s;
  ArrowArray a;
  dealstat::export_arrow_stream(ArrowTable::make(sample_table()), &s);
  ASSERT_EQ(s.get_next(&s, &a), 0);
  a.release(&a);
  ASSERT_EQ(s.get_next(&s, &a), 0);
  EXPECT_EQ(a.release, nullptr);
  s.release(&s);
}

TEST(Arrow, NullOrReleasedStreamIsRefused) {
  ArrowArrayStream s{};
  EXPECT_THROW(dealstat::import_arrow_stream(&s), Error);
  EXPECT_THROW(dealstat::import_arrow_stream(nullptr), Error);
  EXPECT_THROW(dealstat::export_arrow_stream(nullptr, &s), Error);
}

TEST(Arrow, UnsupportedTypeNamesTheColumnAndReleasesTheStream) {
  ArrowArrayStream s;
  dealstat::export_arrow_stream(ArrowTable::make(sample_table()), &s);
  // Wrap get_schema so the stage column claims to be a boolean.
  static int (*inner)(ArrowArrayStream*, ArrowSchema*) = nullptr;
  inner = s.get_schema;
  s.get_schema = [](ArrowArrayStream* st, ArrowSchema* out) {
    int rc = inner(st, out);
    out->children[2]->format = "b";
    return rc;
  };
  try {
    dealstat::import_arrow_stream(&s, "arrow:test");
    FAIL() << "should throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), dealstat::ErrorCode::invalid_data);
    EXPECT_EQ(e.problem().source, "arrow:test");
    EXPECT_EQ(e.problem().field, "stage");
    EXPECT_EQ(e.problem().value, "b");
  }
  EXPECT_EQ(s.release, nullptr);
}

}  // namespace
