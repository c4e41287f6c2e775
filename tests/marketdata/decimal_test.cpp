#include "marketdata/decimal.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

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

/// parse_scaled_padded on `text` copied into a buffer whose padding is `fill` (the bytes
/// after the text must never change the result).
bool padded(const std::string& text, int scale, std::int64_t& out, char fill) {
  std::string buffer = text + std::string(8, fill);
  return parse_scaled_padded(buffer.data(), text.size(), scale, out);
}

bool padded_integer(const std::string& text, std::int64_t& out, char fill) {
  std::string buffer = text + std::string(8, fill);
  return parse_integer_padded(buffer.data(), text.size(), out);
}

/// The fast paths agree with the general path (accept/reject and value) on `text`.
void expect_same_as_general(const std::string& text) {
  for (int scale : {0, 2, 8, 9, 18}) {
    std::int64_t general = 0;
    const bool general_ok = detail::parse_scaled_general(text, scale, general);
    for (char fill : {'\0', '5', '.', '"'}) {
      std::int64_t fast = 0;
      ASSERT_EQ(padded(text, scale, fast, fill), general_ok) << '"' << text << "\" " << scale;
      if (general_ok) {
        EXPECT_EQ(fast, general) << '"' << text << "\" " << scale;
      }
    }
    std::int64_t plain = 0;
    ASSERT_EQ(parse_scaled(text, scale, plain), general_ok) << '"' << text << '"';
    if (general_ok) {
      EXPECT_EQ(plain, general) << '"' << text << '"';
    }
  }
  const bool integer_text = text.find_first_of(".eE") == std::string::npos;
  std::int64_t general = 0;
  const bool general_ok = integer_text && detail::parse_scaled_general(text, 0, general);
  for (char fill : {'\0', '7'}) {
    std::int64_t fast = 0;
    ASSERT_EQ(padded_integer(text, fast, fill), general_ok) << '"' << text << '"';
    if (general_ok) {
      EXPECT_EQ(fast, general) << '"' << text << '"';
    }
  }
}

TEST(Decimal, FastPathMatchesGeneralPathOnEdgeCases) {
  for (const char* text : {"",
                           "-",
                           ".",
                           "-.",
                           "0",
                           "-0",
                           "00",
                           "007",
                           "0.0",
                           "5.",
                           ".5",
                           "-.5",
                           "+5",
                           "--5",
                           "1.2.3",
                           "12a",
                           "a12",
                           "1e5",
                           "1E-3",
                           " 1",
                           "1 ",
                           "1,5",
                           "0x10",
                           "12345678",
                           "1234567890123456",
                           "-1234567890123456",
                           "12345678901234567",
                           "123456789012345.6",
                           ".123456789012345",
                           "123456789012345.",
                           "1234567.12345678",
                           "12345678.1234567",
                           "0.00000000000001",
                           "1.1.",
                           "..",
                           "1..",
                           "123456789",
                           "1234567.8",
                           "12345678.9",
                           "0.00001305",
                           "0.000022900",
                           "7.6110",
                           "56218.30000",
                           "1626992741575",
                           "1626992742.289739",
                           "1618677817.1295161",
                           "-1618677817.1295161",
                           "999999999999999999",
                           "-999999999999999999",
                           "1000000000000000000",
                           "99999999999.99999999",
                           "92233720368.54775807",
                           "92233720368.54775808",
                           "9223372036854775807",
                           "-9223372036854775808",
                           "000000000000000001",
                           "0000000000000000001",
                           "0.000000015",
                           "0.123456789012345678",
                           "0.1234567890123456789",
                           "12345678901234567890",
                           "1:2",
                           "1/2",
                           "\xff"
                           "1",
                           "1\xfa"
                           "0",
                           "1\xff"
                           "2",
                           "9:",
                           "/9"})
    expect_same_as_general(text);
}

TEST(Decimal, FastPathMatchesGeneralPathOnRandomText) {
  std::mt19937_64 rng(12345);
  const std::string alphabet = "0123456789000.-+eE :/\xff";
  for (int round = 0; round < 20'000; ++round) {
    std::string text;
    const std::size_t length = rng() % 23;
    const bool digits_only = rng() % 2 == 0;  // mostly well-formed numbers
    for (std::size_t i = 0; i < length; ++i)
      text.push_back(digits_only && rng() % 16 != 0 ? static_cast<char>('0' + rng() % 10)
                                                    : alphabet[rng() % alphabet.size()]);
    if (digits_only && length > 2 && rng() % 2 == 0)
      text[rng() % length] = '.';
    expect_same_as_general(text);
  }
}

TEST(Decimal, FastPathReadsMaximumDigitsAndLeadingZeros) {
  std::int64_t v = 0;
  EXPECT_FALSE(parse_scaled(std::string_view(), 8, v));   // no data pointer (fuzzer find)
  ASSERT_TRUE(padded("999999999999999999", 0, v, '\0'));  // 18 digits: the fast path's limit
  EXPECT_EQ(v, 999'999'999'999'999'999);
  ASSERT_TRUE(padded("9223372036854775807", 0, v, '\0'));  // 19 digits: general path
  EXPECT_EQ(v, INT64_MAX);
  EXPECT_FALSE(padded("9223372036854775808", 0, v, '\0'));
  ASSERT_TRUE(padded("000000000000000012.5", 1, v, '9'));
  EXPECT_EQ(v, 125);
  ASSERT_TRUE(padded("-0.00000001", 8, v, '1'));
  EXPECT_EQ(v, -1);
  EXPECT_FALSE(padded("9999999999.99999999", 9, v, '\0'));  // fits 18 digits, not * 10
  ASSERT_TRUE(padded("1.23456789", 8, v, '3'));             // padding digits are not read as digits
  EXPECT_EQ(v, 123'456'789);
  ASSERT_TRUE(padded_integer("1626992741575", v, '4'));
  EXPECT_EQ(v, 1'626'992'741'575);
  EXPECT_FALSE(padded_integer("16.5", v, '\0'));
  EXPECT_FALSE(padded_integer("1e5", v, '\0'));
  ASSERT_TRUE(padded_integer("+42", v, '\0'));  // general path
  EXPECT_EQ(v, 42);
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

TEST(Decimal, Iso8601DateCacheGivesTheSameResults) {
  iso8601_cache cache;
  // The cached parse accepts exactly what the plain one accepts, with the same value.
  const auto expect_same = [&cache](const std::string& text) {
    std::int64_t plain = -1;
    std::int64_t cached = -1;
    const bool ok = parse_iso8601(text, plain);
    ASSERT_EQ(parse_iso8601(text, cached, cache), ok) << text;
    if (ok) {
      EXPECT_EQ(cached, plain) << text;
    }
  };
  const char* texts[] = {"2021-04-17T16:43:37.089723Z",
                         "2021-04-17T16:43:38.1Z",
                         "2021-04-17T24:00:00Z",
                         "2021-04-17 23:59:60",
                         "2021-04-18T00:00:00.000001Z",
                         "2021-04-18T00:00:00+01:00",
                         "2021-04-1",
                         "2021-13-18T00:00:00Z",
                         "2021-04-18T00:00:00Z",
                         "2021-04-18X00:00:00Z",
                         "2021-04-18T00:00:00.Z",
                         "2021-04-00T00:00:00Z",
                         "2021-04-18T00:00:00Z",
                         "1969-12-31T23:59:59.999999999Z",
                         "2262-04-12T00:00:00Z",
                         "2262-04-12T00:00:00Z"};
  for (int pass = 0; pass < 2; ++pass) {
    for (const char* text : texts) {
      expect_same(text);
    }
  }
  // Same date, every time of day variant mutated one character at a time.
  std::mt19937_64 rng(7);
  const std::string base = "2021-04-17T16:43:37.089723Z";
  for (int round = 0; round < 5'000; ++round) {
    std::string text = base;
    text[rng() % text.size()] = "0123456789:-.TZ+ x"[rng() % 18];
    if (rng() % 4 == 0)
      text.resize(rng() % text.size());
    expect_same(text);
  }
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
