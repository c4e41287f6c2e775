#include "messages/fixed_point.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace peak {

TEST(FixedPoint, RoundsDoublesToNearestRawUnit) {
  EXPECT_EQ(fixed::make_price(1.5).raw, 150'000'000);
  EXPECT_EQ(fixed::make_price(0.000000014).raw, 1);
  EXPECT_EQ(fixed::make_price(-2.25).raw, -225'000'000);
  EXPECT_EQ(fixed::from_double(std::numeric_limits<double>::quiet_NaN()), 0);
}

TEST(FixedPoint, NotionalIsExactAndSaturates) {
  // 50,000.12345678 × 0.001 = 50.00012345 (truncated at 1e-8)
  const price p{5'000'012'345'678};
  const quantity q{100'000};
  EXPECT_EQ(fixed::notional(p, q).raw, 5'000'012'345);
  EXPECT_EQ(fixed::abs_notional(p, quantity{-100'000}).raw, 5'000'012'345);
  const price huge{std::numeric_limits<std::int64_t>::max()};
  EXPECT_EQ(fixed::notional(huge, quantity{1'000 * fixed_scale}).raw,
            std::numeric_limits<std::int64_t>::max());
}

TEST(FixedPoint, BasisPointsUseHundredthsOfABasisPoint) {
  const money m{100 * fixed_scale};
  EXPECT_EQ(fixed::apply_bps(m, 100).raw, fixed_scale / 100);  // 1 bp of 100 = 0.01
  EXPECT_EQ(fixed::apply_bps(m, 250).raw, fixed_scale / 40);   // 2.5 bp of 100 = 0.025
}

TEST(FixedPoint, SaturatingAddDoesNotOverflow) {
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(fixed::add(max, 1), max);
  EXPECT_EQ(fixed::add(-max, -10), std::numeric_limits<std::int64_t>::min());
}

}  // namespace peak
