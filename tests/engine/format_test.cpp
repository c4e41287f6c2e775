#include "engine/format.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace peak::engine {
namespace {

TEST(Format, AppendIntWritesWhatToStringWrites) {
  for (const std::int64_t v :
       {std::int64_t{0}, std::int64_t{-1}, std::int64_t{7}, std::int64_t{-1234567890123},
        std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min()}) {
    std::string out = "x=";
    append_int(out, v);
    EXPECT_EQ(out, "x=" + std::to_string(v));
  }
  for (const std::uint64_t v : {std::uint64_t{0}, std::uint64_t{42}, std::uint64_t{0xFF00000000},
                                std::numeric_limits<std::uint64_t>::max()}) {
    std::string out;
    append_uint(out, v);
    EXPECT_EQ(out, std::to_string(v));
  }
}

TEST(Format, FixedPointPrintsExactly) {
  EXPECT_EQ(format_fixed(0), "0");
  EXPECT_EQ(format_fixed(1'250'000'000), "12.5");
  EXPECT_EQ(format_fixed(-1), "-0.00000001");
  EXPECT_EQ(format_fixed(300'000'000), "3");
  EXPECT_EQ(format_fixed(std::numeric_limits<std::int64_t>::min()), "-92233720368.54775808");
  std::string out = "p=";
  append_fixed(out, 123'456'789'012);
  EXPECT_EQ(out, "p=1234.56789012");
}

}  // namespace
}  // namespace peak::engine
