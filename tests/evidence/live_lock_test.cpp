#include "evidence/live_lock.hpp"

#include <gtest/gtest.h>

namespace {

using namespace peak::evidence;

live_request allowed_request() {
  live_request r;
  r.mode = "live";
  r.instruments = {"BTCUSDT"};
  r.account = "test-account-1";
  r.venue = "ws://127.0.0.1:9443/stream";
  r.enable_flag = true;
  r.allowlist = {{"BTCUSDT", "test-account-1"}};
  return r;
}

TEST(LiveLock, AllowsOnlyWhenEveryConditionHolds) {
  const auto d = check_live_lock(allowed_request());
  EXPECT_TRUE(d.allowed) << d.summary();
  EXPECT_TRUE(d.refusals.empty());
}

TEST(LiveLock, ShadowAndPaperAreNotLocked) {
  live_request r;
  r.mode = "paper";
  EXPECT_TRUE(check_live_lock(r).allowed);
  r.mode = "shadow";
  EXPECT_TRUE(check_live_lock(r).allowed);
  r.mode = "Live";
  const auto d = check_live_lock(r);
  EXPECT_FALSE(d.allowed);
  EXPECT_TRUE(d.refused_for(live_refusal::unknown_mode));
}

TEST(LiveLock, RefusesWithoutEnableFlag) {
  auto r = allowed_request();
  r.enable_flag = false;
  const auto d = check_live_lock(r);
  EXPECT_FALSE(d.allowed);
  ASSERT_EQ(d.refusals.size(), 1u);
  EXPECT_EQ(d.refusals[0], live_refusal::enable_flag_missing);
}

TEST(LiveLock, RefusesInstrumentNotOnAllowlist) {
  auto r = allowed_request();
  r.instruments = {"BTCUSDT", "ETHUSDT"};
  const auto d = check_live_lock(r);
  EXPECT_FALSE(d.allowed);
  ASSERT_EQ(d.refusals.size(), 1u);
  EXPECT_EQ(d.refusals[0], live_refusal::not_allowlisted);
  EXPECT_NE(d.failures[0].find("ETHUSDT"), std::string::npos);
}

TEST(LiveLock, RefusesOtherAccountForAllowlistedInstrument) {
  auto r = allowed_request();
  r.account = "test-account-2";
  EXPECT_TRUE(check_live_lock(r).refused_for(live_refusal::not_allowlisted));
  r.account = "TEST-ACCOUNT-1";  // exact match only
  EXPECT_TRUE(check_live_lock(r).refused_for(live_refusal::not_allowlisted));
}

TEST(LiveLock, RefusesWildcardAndEmptyAllowlists) {
  auto r = allowed_request();
  r.allowlist = {{"*", "test-account-1"}, {"BTCUSDT", "test-account-1"}};
  EXPECT_TRUE(check_live_lock(r).refused_for(live_refusal::allowlist_wildcard));
  r.allowlist.clear();
  const auto d = check_live_lock(r);
  EXPECT_TRUE(d.refused_for(live_refusal::allowlist_empty));
  EXPECT_TRUE(d.refused_for(live_refusal::not_allowlisted));
}

TEST(LiveLock, RefusesNonLoopbackVenue) {
  auto r = allowed_request();
  r.venue = "wss://stream.binance.com:9443/ws";
  auto d = check_live_lock(r);
  ASSERT_EQ(d.refusals.size(), 1u);
  EXPECT_EQ(d.refusals[0], live_refusal::venue_not_loopback);
  r.venue.clear();
  d = check_live_lock(r);
  EXPECT_TRUE(d.refused_for(live_refusal::venue_missing));
}

TEST(LiveLock, ListsEveryFailedCondition) {
  live_request r;
  r.mode = "live";
  r.venue = "10.0.0.5:8080";
  const auto d = check_live_lock(r);
  EXPECT_FALSE(d.allowed);
  EXPECT_TRUE(d.refused_for(live_refusal::enable_flag_missing));
  EXPECT_TRUE(d.refused_for(live_refusal::account_missing));
  EXPECT_TRUE(d.refused_for(live_refusal::instrument_missing));
  EXPECT_TRUE(d.refused_for(live_refusal::allowlist_empty));
  EXPECT_TRUE(d.refused_for(live_refusal::venue_not_loopback));
  EXPECT_EQ(d.refusals.size(), d.failures.size());
}

TEST(LiveLock, RecognisesLoopbackSpellings) {
  for (const char* v : {"127.0.0.1", "127.255.3.4:80", "localhost", "LocalHost:9000",
                        "ws://localhost/x", "http://user:pw@127.0.0.1:8080/", "::1", "[::1]:9000",
                        "ws://[::1]:9443/ws", "0:0:0:0:0:0:0:1", "[0000::0001]"})
    EXPECT_TRUE(is_loopback_venue(v)) << v;
  for (const char* v : {"", "10.0.0.1", "128.0.0.1", "localhost.evil.com", "127.0.0.1.nip.io",
                        "evil.com/127.0.0.1", "::2", "::", "[::1", "1::1", "127.1", "0127.0.0.1",
                        "127.0.0.256", "::ffff:8.8.8.8", "http://127.0.0.1@evil.com/"})
    EXPECT_FALSE(is_loopback_venue(v)) << v;
}

}  // namespace

namespace {

TEST(LiveLock, BuildsRequestsFromConfigStyleAllowlist) {
  using namespace peak::evidence;
  live_allowlist_entry e;
  EXPECT_TRUE(parse_allowlist_entry("acct-1:BTCUSDT", e));
  EXPECT_EQ(e.account, "acct-1");
  EXPECT_EQ(e.instrument, "BTCUSDT");
  EXPECT_FALSE(parse_allowlist_entry("BTCUSDT", e));
  EXPECT_FALSE(parse_allowlist_entry(":BTCUSDT", e));
  EXPECT_FALSE(parse_allowlist_entry("a:b:c", e));
  auto r =
      make_live_request("live", {"BTCUSDT"}, "acct-1", "127.0.0.1:9000", true, {"acct-1:BTCUSDT"});
  EXPECT_TRUE(check_live_lock(r).allowed);
  r = make_live_request("live", {"BTCUSDT"}, "acct-1", "127.0.0.1:9000", true,
                        {"acct-1:BTCUSDT", "garbage"});
  EXPECT_TRUE(check_live_lock(r).refused_for(live_refusal::allowlist_wildcard));
}

}  // namespace
