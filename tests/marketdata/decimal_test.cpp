#include "marketdata/decimal.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace peak::marketdata {
namespace {

std::int64_t fixed(const char* text) {
  std::int64_t raw = -1;
  EXPECT_TRUE(parse_fixed(text, raw)) << text;
  return raw;
}

TEST(Decimal, ParsesExactFixedPoint) {
  EXPECT_EQ(fixed("0.35280000"), 35'280'000);
  EXPECT_EQ(fixed("7.6110"), 761'100'000);
  EXPECT_EQ(fixed("56218.30000"), 5'621'830'000'000);
  EXPECT_EQ(fixed("0.00001305"), 1'305);
  EXPECT_EQ(fixed("0.000022900"), 2'290);  // 9 decimals, trailing zero
  EXPECT_EQ(fixed("985"), 98'500'000'000);
  EXPECT_EQ(fixed("-1.5"), -150'000'000);
  EXPECT_EQ(fixed("+2"), 200'000'000);
  EXPECT_EQ(fixed(".5"), 50'000'000);
  EXPECT_EQ(fixed("5."), 500'000'000);
  EXPECT_EQ(fixed("0"), 0);
  EXPECT_EQ(fixed("1e-5"), 1'000);
  EXPECT_EQ(fixed("1.25E2"), 12'500'000'000);
}

TEST(Decimal, RoundsHalfAwayBeyondEightDecimals) {
  EXPECT_EQ(fixed("0.000000015"), 2);
  EXPECT_EQ(fixed("0.000000014999"), 1);
  EXPECT_EQ(fixed("-0.000000015"), -2);
}

TEST(Decimal, RejectsGarbageNanInfAndOverflow) {
  std::int64_t raw = 0;
  for (const char* bad : {"", "-", ".", "NaN", "nan", "inf", "-Infinity", "1.2.3", "12a", "a12",
                          "1e", "1e+", " 1", "1 ", "0x10", "1,5"})
    EXPECT_FALSE(parse_fixed(bad, raw)) << '"' << bad << '"';
  EXPECT_FALSE(parse_fixed("92233720368.54775808", raw));  // int64 max + 1 raw unit
  EXPECT_TRUE(parse_fixed("92233720368.54775807", raw));
  EXPECT_EQ(raw, INT64_MAX);
  EXPECT_FALSE(parse_fixed("1e300", raw));
  EXPECT_FALSE(parse_fixed("123456789012345678901234567890123456789012345", raw));
  EXPECT_TRUE(parse_fixed("1e-300", raw));
  EXPECT_EQ(raw, 0);
  // Fuzzer finds: tiny exponents and long fractions must not overflow the 128-bit rescale.
  EXPECT_TRUE(parse_fixed("1e-040", raw));
  EXPECT_EQ(raw, 0);
  EXPECT_TRUE(parse_fixed("0.000006745986849527100026747986849527124", raw));
  EXPECT_EQ(raw, 675);
  EXPECT_TRUE(parse_fixed("123456789012345678901234567890123456e-30", raw));
  EXPECT_EQ(raw, 12'345'678'901'235);  // 123456.78901234|5678.. rounded
}

TEST(Decimal, ParsesEpochSecondsToNanoseconds) {
  std::int64_t ns = 0;
  ASSERT_TRUE(parse_epoch_seconds("1633998512.0633569", ns));
  EXPECT_EQ(ns, 1'633'998'512'063'356'900);
  ASSERT_TRUE(parse_epoch_seconds("1618678142.557535", ns));
  EXPECT_EQ(ns, 1'618'678'142'557'535'000);
}

TEST(Decimal, ParsesIso8601Utc) {
  std::int64_t ns = 0;
  ASSERT_TRUE(parse_iso8601("1970-01-01T00:00:00Z", ns));
  EXPECT_EQ(ns, 0);
  ASSERT_TRUE(parse_iso8601("2021-04-17T16:43:37.089723Z", ns));
  EXPECT_EQ(ns, 1'618'677'817'089'723'000);
  ASSERT_TRUE(parse_iso8601("2012-02-01 00:00:00+00:00", ns));
  EXPECT_EQ(ns, 1'328'054'400'000'000'000);
  ASSERT_TRUE(parse_iso8601("2012-02-01T01:00:00+01:00", ns));
  EXPECT_EQ(ns, 1'328'054'400'000'000'000);
  ASSERT_TRUE(parse_iso8601("2024-02-29T12:00:00.123456789", ns));
  EXPECT_EQ(ns, 1'709'208'000'123'456'789);
  for (const char* bad : {"2021-04-17", "2021-13-01T00:00:00Z", "2021-04-17T25:00:00Z",
                          "2021-04-17T16:43:37.Z", "2021-04-17T16:43:37Zjunk", "garbage"})
    EXPECT_FALSE(parse_iso8601(bad, ns)) << bad;
}

TEST(Decimal, TimestampUnitsByMagnitude) {
  std::int64_t ns = 0;
  ASSERT_TRUE(parse_timestamp("1700000000", ns));
  EXPECT_EQ(ns, 1'700'000'000'000'000'000);
  ASSERT_TRUE(parse_timestamp("1700000000.5", ns));
  EXPECT_EQ(ns, 1'700'000'000'500'000'000);
  ASSERT_TRUE(parse_timestamp("1700000000123", ns));
  EXPECT_EQ(ns, 1'700'000'000'123'000'000);
  ASSERT_TRUE(parse_timestamp("1700000000123456", ns));
  EXPECT_EQ(ns, 1'700'000'000'123'456'000);
  ASSERT_TRUE(parse_timestamp("1700000000123456789", ns));
  EXPECT_EQ(ns, 1'700'000'000'123'456'789);
  EXPECT_FALSE(parse_timestamp("-5", ns));
  EXPECT_FALSE(parse_timestamp("timestamp", ns));
}

}  // namespace
}  // namespace peak::marketdata
