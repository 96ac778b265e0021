// Tests of StringPool and StringColumn (string_pool.hpp).
#include "dealstat/data/string_pool.hpp"

#include <gtest/gtest.h>

#include <string>

namespace dealstat {
namespace {

TEST(StringPool, EmptyStringIsCodeZero) {
  StringPool p;
  EXPECT_EQ(p.size(), 1u);
  EXPECT_EQ(p.intern(""), 0u);
  EXPECT_EQ(p.find(""), 0);
  EXPECT_EQ(p.view(0), "");
  EXPECT_EQ(p.size(), 1u);
}

TEST(StringPool, InternsEachStringOnce) {
  StringPool p;
  const StrCode a = p.intern("alpha");
  const StrCode b = p.intern("beta");
  EXPECT_NE(a, b);
  EXPECT_EQ(p.intern("alpha"), a);
  EXPECT_EQ(p.intern(std::string("be") + "ta"), b);
  EXPECT_EQ(p.size(), 3u);
  EXPECT_EQ(p.view(a), "alpha");
  EXPECT_EQ(p.view(b), "beta");
  EXPECT_EQ(p.find("beta"), static_cast<std::int64_t>(b));
  EXPECT_EQ(p.find("gamma"), -1);
}

TEST(StringPool, CodesAreDenseAndOffsetsArrowStyle) {
  StringPool p;
  EXPECT_EQ(p.intern("x"), 1u);
  EXPECT_EQ(p.intern("yy"), 2u);
  EXPECT_EQ(p.intern("zzz"), 3u);
  ASSERT_EQ(p.offsets().size(), p.size() + 1);
  EXPECT_EQ(p.offsets().front(), 0u);
  EXPECT_EQ(p.offsets().back(), p.bytes().size());
  EXPECT_EQ(p.bytes(), "xyyzzz");
}

TEST(StringPool, Utf8AndEmbeddedNulRoundTrip) {
  StringPool p;
  const std::string cyr = "Новая сделка";
  const std::string nul("a\0b", 3);
  const StrCode c = p.intern(cyr);
  const StrCode n = p.intern(nul);
  EXPECT_EQ(p.view(c), cyr);
  EXPECT_EQ(p.view(n), nul);
  EXPECT_EQ(p.view(n).size(), 3u);
  EXPECT_EQ(p.find(std::string("a\0c", 3)), -1);
}

TEST(StringPool, ViewsStayValidForOldCodesAfterGrowth) {
  StringPool p;
  const StrCode first = p.intern("first");
  for (int i = 0; i < 10000; ++i) {
    std::string s = std::to_string(i);
    s.insert(s.begin(), 's');  // not "s" + ...: GCC 12's -Wrestrict false positive at -O3
    p.intern(s);
  }
  EXPECT_EQ(p.view(first), "first");
  EXPECT_EQ(p.size(), 10002u);
  EXPECT_EQ(p.view(static_cast<StrCode>(p.find("s9999"))), "s9999");
}

TEST(StringPool, CopyKeepsIndependentIndex) {
  StringPool p;
  p.intern("one");
  StringPool q = p;
  q.intern("two");
  EXPECT_EQ(p.find("two"), -1);
  EXPECT_EQ(q.find("one"), 1);
}

TEST(StringPool, ColumnPushBackAndIndex) {
  StringColumn c;
  EXPECT_EQ(c.size(), 0u);
  c.push_back("a");
  c.push_back("");
  c.push_back("Привет");
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0], "a");
  EXPECT_EQ(c[1], "");
  EXPECT_EQ(c[2], "Привет");
}

}  // namespace
}  // namespace dealstat
