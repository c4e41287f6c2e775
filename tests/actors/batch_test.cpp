#include "actors/batch.hpp"

#include <gtest/gtest.h>

#include <string>
#include <type_traits>
#include <vector>

namespace peak::actors {
namespace {

/// Records the kinds a walk visits, with the id each payload carries.
struct visit_log {
  std::vector<std::string> seen;
  void operator()(const market_event& x) { seen.push_back("event" + std::to_string(x.sequence)); }
  void operator()(const outlook& /*x*/) { seen.push_back("outlook"); }
  void operator()(const trade_intent& x) { seen.push_back("intent" + std::to_string(x.intent_id)); }
  void operator()(const approved_order& /*x*/) { seen.push_back("approved"); }
  void operator()(const order_denied& x) { seen.push_back("denied" + std::to_string(x.intent_id)); }
  void operator()(const execution_report& x) {
    seen.push_back("report" + std::to_string(x.report_id));
  }
  void operator()(const account_snapshot& /*x*/) { seen.push_back("snapshot"); }
  void operator()(const kill_command& x) { seen.push_back("halt" + std::to_string(x.halt_id)); }
};

market_event event(std::uint64_t seq) {
  market_event e;
  e.sequence = seq;
  return e;
}

TEST(PipelineBatch, ItemsAreVisitedInArrivalOrderAcrossKinds) {
  pipeline_batch b;
  trade_intent intent;
  intent.intent_id = 9;
  order_denied denied;
  denied.intent_id = 9;
  execution_report report;
  report.report_id = 4;
  append(b, event(1));
  append(b, outlook{});
  append(b, intent);
  append(b, denied);
  append(b, event(2));
  append(b, report);
  append(b, account_snapshot{});
  append(b, approved_order{});
  visit_log log;
  for_each_item(b, log);
  const std::vector<std::string> expected{"event1", "outlook", "intent9",  "denied9",
                                          "event2", "report4", "snapshot", "approved"};
  EXPECT_EQ(log.seen, expected);
}

TEST(PipelineBatch, ClearEmptiesButKeepsCapacity) {
  pipeline_batch b;
  for (std::uint64_t i = 0; i < 100; ++i)
    append(b, event(i));
  b.sent_wall_ns = 123;
  const auto capacity = b.events.capacity();
  clear(b);
  EXPECT_TRUE(b.items.empty());
  EXPECT_TRUE(b.events.empty());
  EXPECT_EQ(b.sent_wall_ns, 0);
  EXPECT_EQ(b.events.capacity(), capacity) << "the storage is reused for the next batch";
}

TEST(PipelineBatch, MalformedBatchEndsTheWalkInsteadOfReadingOutOfBounds) {
  pipeline_batch b;
  append(b, event(1));
  b.items.push_back(batch_item::market_event);  // names a second event that is not there
  b.items.push_back(batch_item::outlook);
  b.items.push_back(static_cast<batch_item>(200));  // not a kind at all
  visit_log log;
  for_each_item(b, log);
  EXPECT_EQ(log.seen, std::vector<std::string>{"event1"});

  pipeline_batch unknown;
  unknown.items.push_back(static_cast<batch_item>(200));
  append(unknown, event(5));
  visit_log log2;
  for_each_item(unknown, log2);
  EXPECT_TRUE(log2.seen.empty()) << "an unknown kind stops the walk";
}

TEST(PipelineBatch, ProbeSamplesStopAtTheReservedCapacity) {
  std::vector<std::int64_t> samples;
  samples.reserve(2);
  std::atomic<std::uint64_t> dropped{0};
  for (std::int64_t v : {5, 6, 7, 8})
    record_sample(samples, dropped, v);
  EXPECT_EQ(samples, (std::vector<std::int64_t>{5, 6}));
  EXPECT_EQ(samples.capacity(), 2u) << "never grows";
  EXPECT_EQ(dropped.load(), 2u);
}

}  // namespace
TEST(PipelineBatch, AWalkStopsBeforeAnItemAndResumesThere) {
  pipeline_batch b;
  append(b, event(1));
  trade_intent i;
  i.intent_id = 9;
  append(b, i);
  append(b, event(2));
  kill_command k;
  k.halt_id = 3;
  append(b, k);
  visit_log log;
  engine::batch_cursor at;
  int refusals = 0;
  auto until_second_event = [&](const auto& x) {
    if constexpr (std::is_same_v<std::decay_t<decltype(x)>, market_event>) {
      if (x.sequence == 2 && refusals++ == 0)
        return false;  // not yet: the second event waits
    }
    log(x);
    return true;
  };
  EXPECT_FALSE(engine::walk(b, at, until_second_event));
  EXPECT_EQ(log.seen, (std::vector<std::string>{"event1", "intent9"}));
  EXPECT_TRUE(engine::walk(b, at, until_second_event));
  EXPECT_EQ(log.seen, (std::vector<std::string>{"event1", "intent9", "event2", "halt3"}));
}

}  // namespace peak::actors
