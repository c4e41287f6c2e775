#include <gtest/gtest.h>

#include <string>

#include "engine/format.hpp"

namespace peak::engine {
namespace {

TEST(CsvField, PlainTextAndNumbersPassUnchanged) {
  EXPECT_EQ(csv_field("BTCUSDT"), "BTCUSDT");
  EXPECT_EQ(csv_field("ma_cross#0"), "ma_cross#0");
  EXPECT_EQ(csv_field("-1.5"), "-1.5");
  EXPECT_EQ(csv_field("+42"), "+42");
  EXPECT_EQ(csv_field(""), "");
}

TEST(CsvField, QuotesCommasQuotesAndLineBreaks) {
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\rhere"), "\"cr\rhere\"");
}

TEST(CsvField, NeutralisesFormulaTextButNotNumbers) {
  EXPECT_EQ(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(csv_field("+cmd"), "'+cmd");
  EXPECT_EQ(csv_field("-2+3"), "'-2+3");
  EXPECT_EQ(csv_field("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_field("\tx"), "'\tx");
  EXPECT_EQ(csv_field("\rx"), "\"'\rx\"");
  EXPECT_EQ(csv_field("-"), "'-");
}

TEST(CsvField, DropsNulBytes) {
  EXPECT_EQ(csv_field(std::string("a\0b", 3)), "ab");
  EXPECT_EQ(csv_field(std::string("\0=x", 3)), "'=x");  // no formula hidden behind a NUL
}

}  // namespace
}  // namespace peak::engine
