#include "evidence/pack_compare.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "pack_test_util.hpp"

namespace {

namespace fs = std::filesystem;
using namespace peak::evidence;
using namespace peak::evidence::testing;

bool has_difference(const pack_comparison& c, const std::string& file, const std::string& where) {
  return std::any_of(c.details.begin(), c.details.end(),
                     [&](const pack_difference& d) { return d.file == file && d.where == where; });
}

TEST(PackCompare, TwoRunsWithDifferentWallClockAreIdentical) {
  const auto root = scratch_dir("cmp_same");
  const auto a = write_sample_pack(sample_request(root), 5);
  const auto b = write_sample_pack(sample_request(root), 77);
  const auto c = compare_packs(a, b);
  EXPECT_EQ(c.exit_code, 0);
  EXPECT_TRUE(c.details.empty());
  EXPECT_EQ(c.digest_left, c.digest_right);
  EXPECT_GE(c.files_compared, 7u);
  // The run ids differ (suffix -2): context, not a difference.
  EXPECT_FALSE(c.context.empty());
}

TEST(PackCompare, ReportsChangedCsvLine) {
  const auto root = scratch_dir("cmp_csv");
  const auto a = write_sample_pack(sample_request(root));
  const auto b = write_sample_pack(sample_request(root));
  write_file(b / "trades.csv", "seq,ts_event,side\n1,1001,buy\n2,1003,buy\n");
  const auto c = compare_packs(a, b);
  EXPECT_EQ(c.exit_code, 1);
  EXPECT_TRUE(has_difference(c, "trades.csv", "line 3"));
  // A difference deep in a long line is shown from just before it.
  const std::string long_prefix(300, 'x');
  write_file(b / "orders.csv", "client_order_id,state\n" + long_prefix + "A\n");
  write_file(a / "orders.csv", "client_order_id,state\n" + long_prefix + "B\n");
  const auto deep = compare_packs(a, b);
  EXPECT_TRUE(has_difference(deep, "orders.csv", "line 2, column 301"));
  EXPECT_NE(c.digest_left, c.digest_right);
}

TEST(PackCompare, ReportsChangedMetricByPathButIgnoresWallClock) {
  const auto root = scratch_dir("cmp_metrics");
  const auto a = write_sample_pack(sample_request(root));
  const auto b = write_sample_pack(sample_request(root));
  write_file(b / "metrics.json",
             "{\"final_equity\":999.5,\"trades\":2,\"wall_clock\":{\"elapsed_ns\":123456}}");
  const auto c = compare_packs(a, b);
  EXPECT_EQ(c.exit_code, 1);
  ASSERT_EQ(c.details.size(), 1u);
  EXPECT_EQ(c.details[0].where, "/final_equity");
  EXPECT_EQ(c.details[0].left, "1000.5");
  EXPECT_EQ(c.details[0].right, "999.5");
  ASSERT_EQ(c.differences.size(), 1u);
  EXPECT_FALSE(c.identical);
}

TEST(PackCompare, ReportsDifferentSeedAndMissingFile) {
  const auto root = scratch_dir("cmp_seed");
  const auto a = write_sample_pack(sample_request(root, 1));
  const auto b = write_sample_pack(sample_request(root, 2));
  fs::remove(b / "orders.csv");
  const auto c = compare_packs(a, b);
  EXPECT_EQ(c.exit_code, 1);
  EXPECT_TRUE(has_difference(c, "run_manifest.json", "/seed"));
  EXPECT_TRUE(has_difference(c, "orders.csv", ""));
}

TEST(PackCompare, ExitsTwoForMissingPath) {
  const auto root = scratch_dir("cmp_missing");
  const auto a = write_sample_pack(sample_request(root));
  EXPECT_EQ(compare_packs(a, root / "nope").exit_code, 2);
  EXPECT_EQ(compare_packs(root / "nope", a).exit_code, 2);
}

}  // namespace
