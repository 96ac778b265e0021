// Tests of ResultTable and its three renderings (text, CSV, JSON); expected
// outputs are written out by hand so a change in the format is a visible diff.
#include "dealstat/core/table.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "dealstat/core/error.hpp"

namespace dealstat {
namespace {

// A small funnel-like table: strings, ints, money, percentages, a null.
ResultTable funnel_table() {
  ResultTable t;
  t.name = "funnel";
  t.add("stage", std::vector<std::string>{"New", "Переговоры", "Won"})
      .add("reached", std::vector<std::int64_t>{120, 45, 7})
      .add("budget_minor", std::vector<std::int64_t>{1500000, 730050, 99})
      .add("step_pct", std::vector<double>{100.0, 37.5, 15.555}, {1, 1, 1})
      .add("median_s", std::vector<double>{3600.0, std::nan(""), 0.125}, {0, 1, 1});
  return t;
}

// A second table, to check separators between tables.
ResultTable summary_table() {
  ResultTable t;
  t.name = "funnel_summary";
  t.add("deals", std::vector<std::int64_t>{172}).add("mean_budget_minor", std::vector<double>{13154.6});
  return t;
}

TEST(Table, RowsAndColumnLookup) {
  ResultTable t = funnel_table();
  EXPECT_EQ(t.rows(), 3u);
  EXPECT_EQ(t.column("reached").type(), ColumnType::int64);
  EXPECT_EQ(t.column("stage").type(), ColumnType::string);
  EXPECT_TRUE(t.column("median_s").is_null(0));
  EXPECT_FALSE(t.column("median_s").is_null(1));  // NaN is shown as null but is not masked
  EXPECT_EQ(ResultTable{}.rows(), 0u);
}

TEST(Table, MissingColumnNamesIt) {
  ResultTable t = funnel_table();
  try {
    (void)t.column("nope");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_option);
    EXPECT_EQ(e.problem().field, "column");
    EXPECT_EQ(e.problem().value, "nope");
  }
}

TEST(Table, UnequalColumnsAreRejected) {
  ResultTable t;
  t.name = "t";
  t.add("a", std::vector<std::int64_t>{1, 2});
  EXPECT_THROW(t.add("b", std::vector<double>{1.0}), Error);
  EXPECT_THROW(t.add("c", std::vector<std::int64_t>{1, 2}, {1}), Error);
  EXPECT_EQ(t.columns.size(), 1u);
}

TEST(Table, ParseFormat) {
  EXPECT_EQ(parse_table_format("table"), TableFormat::text);
  EXPECT_EQ(parse_table_format("text"), TableFormat::text);
  EXPECT_EQ(parse_table_format("csv"), TableFormat::csv);
  EXPECT_EQ(parse_table_format("json"), TableFormat::json);
  try {
    parse_table_format("xml");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_option);
    EXPECT_EQ(e.problem().field, "format");
    EXPECT_EQ(e.problem().value, "xml");
  }
}

TEST(Table, TextAlignsAndFormatsByUnit) {
  // Widths count code points ("Переговоры" is 10 wide), numbers right-aligned, null as an em dash,
  // _pct with 2 decimals, _minor as integers, other doubles with 4 significant digits.
  const std::string expected =
      "funnel\n"
      "stage       reached  budget_minor  step_pct  median_s\n"
      "----------  -------  ------------  --------  --------\n"
      "New             120       1500000    100.00         —\n"
      "Переговоры       45        730050     37.50         —\n"
      "Won               7            99     15.55     0.125\n"
      "\n"
      "funnel_summary\n"
      "deals  mean_budget_minor\n"
      "-----  -----------------\n"
      "  172              13155\n";
  EXPECT_EQ(format_tables({funnel_table(), summary_table()}, TableFormat::text), expected);
}

TEST(Table, TextDoublePrecision) {
  ResultTable t;
  t.name = "x";
  t.add("v", std::vector<double>{3.14159, 12345.6, 0.012345, 2.5, 1e-6, 1e20, -0.0,
                                 std::numeric_limits<double>::infinity()});
  const std::string expected =
      "x\n"
      "      v\n"
      "-------\n"
      "  3.142\n"
      "  12346\n"
      "0.01235\n"
      "    2.5\n"
      "  1e-06\n"
      "  1e+20\n"
      "      0\n"
      "    inf\n";
  EXPECT_EQ(format_tables({t}, TableFormat::text), expected);
}

TEST(Table, TextEmptyTableAndStringsWithoutTrailingBlanks) {
  ResultTable empty;
  empty.name = "empty";
  empty.add("n", std::vector<std::int64_t>{});
  ResultTable s;
  s.name = "notes";
  s.add("id", std::vector<std::int64_t>{1, 22}).add("text", std::vector<std::string>{"a\nb", "longer"});
  const std::string expected =
      "empty\n"
      "n\n"
      "-\n"
      "(no rows)\n"
      "\n"
      "notes\n"
      "id  text\n"
      "--  ------\n"
      " 1  a b\n"
      "22  longer\n";
  EXPECT_EQ(format_tables({empty, s}, TableFormat::text), expected);
}

TEST(Table, CsvSingleTableHasNoTableLine) {
  ResultTable t;
  t.name = "deals";
  t.add("name", std::vector<std::string>{"plain", "with, comma", "say \"hi\"", "two\nlines", "Сделка"})
      .add("n", std::vector<std::int64_t>{1, 2, 3, 4, 5}, {1, 1, 0, 1, 1})
      .add("x", std::vector<double>{0.1, 1.0 / 3.0, std::nan(""), -2.5, 1e21});
  const std::string expected =
      "name,n,x\n"
      "plain,1,0.1\n"
      "\"with, comma\",2,0.3333333333333333\n"
      "\"say \"\"hi\"\"\",,\n"
      "\"two\nlines\",4,-2.5\n"
      "Сделка,5,1e+21\n";
  EXPECT_EQ(format_tables({t}, TableFormat::csv), expected);
}

TEST(Table, CsvSeveralTablesAreNamedAndSeparated) {
  const std::string expected =
      "# table: funnel\n"
      "stage,reached,budget_minor,step_pct,median_s\n"
      "New,120,1500000,100,\n"
      "Переговоры,45,730050,37.5,\n"
      "Won,7,99,15.555,0.125\n"
      "\n"
      "# table: funnel_summary\n"
      "deals,mean_budget_minor\n"
      "172,13154.6\n";
  EXPECT_EQ(format_tables({funnel_table(), summary_table()}, TableFormat::csv), expected);
}

TEST(Table, JsonObjectOfRowArrays) {
  const std::string expected =
      "{\n"
      "  \"funnel\": [\n"
      "    {\"stage\": \"New\", \"reached\": 120, \"budget_minor\": 1500000, \"step_pct\": 100, \"median_s\": null},\n"
      "    {\"stage\": \"Переговоры\", \"reached\": 45, \"budget_minor\": 730050, \"step_pct\": 37.5, "
      "\"median_s\": null},\n"
      "    {\"stage\": \"Won\", \"reached\": 7, \"budget_minor\": 99, \"step_pct\": 15.555, \"median_s\": 0.125}\n"
      "  ],\n"
      "  \"funnel_summary\": [\n"
      "    {\"deals\": 172, \"mean_budget_minor\": 13154.6}\n"
      "  ]\n"
      "}\n";
  const std::string out = format_tables({funnel_table(), summary_table()}, TableFormat::json);
  EXPECT_EQ(out, expected);
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["funnel"].size(), 3u);
  EXPECT_EQ(j["funnel"][1]["stage"], "Переговоры");
  EXPECT_TRUE(j["funnel"][0]["median_s"].is_null());
}

TEST(Table, JsonEscapesStringsAndNullsNonFinite) {
  ResultTable t;
  t.name = "e\"v";
  t.add("s", std::vector<std::string>{"quote \" back \\ nl \n tab \t ctl \x01", "ok", "bad \xFF byte"},
        {1, 0, 1})
      .add("d", std::vector<double>{std::numeric_limits<double>::infinity(), -0.5, std::nan("")});
  const std::string expected =
      "{\n"
      "  \"e\\\"v\": [\n"
      "    {\"s\": \"quote \\\" back \\\\ nl \\n tab \\t ctl \\u0001\", \"d\": null},\n"
      "    {\"s\": null, \"d\": -0.5},\n"
      "    {\"s\": \"bad \xEF\xBF\xBD byte\", \"d\": null}\n"
      "  ]\n"
      "}\n";
  const std::string out = format_tables({t}, TableFormat::json);
  EXPECT_EQ(out, expected);
  EXPECT_TRUE(nlohmann::json::accept(out));
}

TEST(Table, JsonEmptyCases) {
  EXPECT_EQ(format_tables({}, TableFormat::json), "{}\n");
  ResultTable t;
  t.name = "none";
  t.add("a", std::vector<std::int64_t>{});
  EXPECT_EQ(format_tables({t}, TableFormat::json), "{\n  \"none\": []\n}\n");
  EXPECT_THROW(format_tables({t, t}, TableFormat::json), Error);
}

}  // namespace
}  // namespace dealstat
