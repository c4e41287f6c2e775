#include "observability/round_trip_tracker.hpp"

#include <gtest/gtest.h>

namespace peak::observability {
namespace {

TEST(RoundTripTracker, ObservesOnlyTheFirstReportOfAHandedOffOrder) {
  round_trip_tracker t;
  latency_histogram h;
  t.on_handed_off(7, 1'000);
  t.on_handed_off(7, 5'000);  // a resend keeps the first hand-off
  EXPECT_EQ(t.pending(), 1u);
  EXPECT_TRUE(t.on_report(7, 4'000, h));
  EXPECT_FALSE(t.on_report(7, 9'000, h)) << "a second report is not a round trip";
  EXPECT_FALSE(t.on_report(8, 9'000, h)) << "never handed off (a local report)";
  EXPECT_EQ(h.count(), 1u);
  EXPECT_EQ(h.sum_ns(), 3'000);
  EXPECT_EQ(t.pending(), 0u);
  EXPECT_EQ(t.dropped(), 0u);
}

TEST(RoundTripTracker, AnOrderInATakenSlotReplacesTheOlderOneAndCountsIt) {
  round_trip_tracker t;
  latency_histogram h;
  t.on_handed_off(1, 0);
  t.on_handed_off(1 + round_trip_tracker::slot_count, 10);
  EXPECT_EQ(t.dropped(), 1u);
  EXPECT_EQ(t.pending(), 1u);
  EXPECT_FALSE(t.on_report(1, 20, h));
  EXPECT_TRUE(t.on_report(1 + round_trip_tracker::slot_count, 30, h));
  EXPECT_EQ(h.sum_ns(), 20);
}

TEST(RoundTripTracker, OrderIdZeroIsIgnored) {
  round_trip_tracker t;
  latency_histogram h;
  t.on_handed_off(0, 0);
  EXPECT_FALSE(t.on_report(0, 5, h));
  EXPECT_EQ(t.pending(), 0u);
  EXPECT_EQ(h.count(), 0u);
}

}  // namespace
}  // namespace peak::observability
