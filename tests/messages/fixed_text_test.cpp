#include "messages/fixed_text.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace peak::text {
namespace {

TEST(FixedText, TrimmedIsExactAndDropsTrailingZeros) {
  EXPECT_EQ(fixed_text(0), "0");
  EXPECT_EQ(fixed_text(1'250'000'000), "12.5");
  EXPECT_EQ(fixed_text(-1), "-0.00000001");
  EXPECT_EQ(fixed_text(300'000'000), "3");
  EXPECT_EQ(fixed_text(std::numeric_limits<std::int64_t>::min()), "-92233720368.54775808");
  EXPECT_EQ(fixed_text(std::numeric_limits<std::int64_t>::max()), "92233720368.54775807");
}

TEST(FixedText, AllDigitsKeepsEightDecimals) {
  EXPECT_EQ(fixed_text(0, fraction_digits::all), "0.00000000");
  EXPECT_EQ(fixed_text(1'250'000'000, fraction_digits::all), "12.50000000");
  EXPECT_EQ(fixed_text(-5, fraction_digits::all), "-0.00000005");
}

TEST(FixedText, IntegersMatchToString) {
  for (const std::int64_t v : {std::int64_t{0}, std::int64_t{-7}, std::int64_t{1234567890123},
                               std::numeric_limits<std::int64_t>::min()}) {
    std::string out;
    append_int(out, v);
    EXPECT_EQ(out, std::to_string(v));
  }
  std::string out;
  append_uint(out, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(out, std::to_string(std::numeric_limits<std::uint64_t>::max()));
}

TEST(UtcText, CivilDaysRoundTrip) {
  static_assert(days_from_civil(1970, 1, 1) == 0);
  static_assert(days_from_civil(2000, 3, 1) == 11017);
  for (std::int64_t d = -800'000; d <= 800'000; d += 997) {
    const civil_date c = civil_from_days(d);
    EXPECT_EQ(days_from_civil(c.year, c.month, c.day), d);
  }
}

TEST(UtcText, Rfc3339WithAndWithoutNanoseconds) {
  EXPECT_EQ(utc_text(1'700'000'000'000'000'000), "2023-11-14T22:13:20.000000000Z");
  EXPECT_EQ(utc_text(1'700'000'000'000'000'000, utc_fraction::nanoseconds_if_any),
            "2023-11-14T22:13:20Z");
  EXPECT_EQ(utc_text(1'700'000'000'000'000'123, utc_fraction::nanoseconds_if_any),
            "2023-11-14T22:13:20.000000123Z");
  EXPECT_EQ(utc_text(-1), "1969-12-31T23:59:59.999999999Z");
  EXPECT_EQ(utc_text(951'782'400'000'000'000), "2000-02-29T00:00:00.000000000Z");
}

}  // namespace
}  // namespace peak::text
