#include "config/session_config.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace peak::config {
namespace {

/// Parses `text`; returns the problems (empty when valid).
std::vector<std::string> problems_of(const std::string& text) {
  try {
    (void)parse_config(text, "test.toml");
  } catch (const config_error& e) {
    return e.problems();
  }
  return {};
}

bool any_contains(const std::vector<std::string>& problems, const std::string& needle) {
  for (const auto& p : problems)
    if (p.find(needle) != std::string::npos)
      return true;
  return false;
}

const char* const valid_config = R"(
[session]
name = "demo"
mode = "paper"
seed = 7

[[instruments]]
symbol = "SYN-A"
tick_size = 0.01
lot_size = 0.001
currency = "USD"

[[strategies]]
name = "ma_crossover"
instrument = "SYN-A"
order_notional = 40.0
fast = 10
slow = 30

[risk]
max_order_notional = 50.0
max_total_exposure = 500.0
max_daily_loss = 100.0
max_open_positions = 3
)";

TEST(SessionConfig, ParsesAValidConfig) {
  const session_config c = parse_config(valid_config, "test.toml");
  EXPECT_EQ(c.session.name, "demo");
  EXPECT_EQ(c.session.mode, session_mode::paper);
  EXPECT_EQ(c.session.seed, 7u);
  ASSERT_EQ(c.instruments.size(), 1u);
  EXPECT_EQ(c.instruments[0].tick_size.raw, 1'000'000);
  ASSERT_EQ(c.strategies.size(), 1u);
  EXPECT_EQ(c.strategies[0].params.at("fast"), 10.0);
  EXPECT_EQ(c.risk.max_order_notional.raw, 50 * fixed_scale);
  EXPECT_EQ(c.risk.max_open_positions, 3u);
}

TEST(SessionConfig, DefaultsArePhaseOneLimits) {
  const session_config c = default_config();
  EXPECT_EQ(c.risk.max_order_notional.raw, 50 * fixed_scale);
  EXPECT_EQ(c.risk.max_total_exposure.raw, 500 * fixed_scale);
  EXPECT_EQ(c.risk.max_daily_loss.raw, 100 * fixed_scale);
  EXPECT_EQ(c.risk.max_open_positions, 3u);
}

TEST(SessionConfig, UnknownKeyIsAnErrorNamingTheKeyPath) {
  const auto p = problems_of(std::string(valid_config) + "max_leverage = 10\n");
  ASSERT_FALSE(p.empty());
  EXPECT_TRUE(any_contains(p, "risk.max_leverage")) << p.front();
  EXPECT_TRUE(any_contains(p, "unknown key"));
}

TEST(SessionConfig, WrongTypeNamesKeyExpectedAndFound) {
  std::string text = valid_config;
  text.replace(text.find("max_open_positions = 3"), 22, "max_open_positions = \"three\"");
  const auto p = problems_of(text);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("test.toml:"), std::string::npos);
  EXPECT_NE(p[0].find("risk.max_open_positions"), std::string::npos);
  EXPECT_NE(p[0].find("expected an integer"), std::string::npos);
  EXPECT_NE(p[0].find("found string \"three\""), std::string::npos);
}

TEST(SessionConfig, OutOfRangeLimitIsRefused) {
  std::string text = valid_config;
  text.replace(text.find("max_daily_loss = 100.0"), 22, "max_daily_loss = -5.0");
  const auto p = problems_of(text);
  ASSERT_FALSE(p.empty());
  EXPECT_TRUE(any_contains(p, "risk.max_daily_loss"));
  EXPECT_TRUE(any_contains(p, "found float -5"));
}

TEST(SessionConfig, LimitsCannotBeSwitchedOffOrOverridden) {
  auto p = problems_of(std::string(valid_config) + "enforce_limits = false\n");
  EXPECT_TRUE(any_contains(p, "risk.enforce_limits"));
  p = problems_of(std::string(valid_config) + "allow_override = true\n");
  EXPECT_TRUE(any_contains(p, "risk.allow_override"));
  EXPECT_TRUE(problems_of(std::string(valid_config) + "enforce_limits = true\n").empty());
}

TEST(SessionConfig, ReportsEveryProblemNotJustTheFirst) {
  std::string text = valid_config;
  text += "bogus = 1\n[broker]\nfee_bps = \"x\"\nlatency_ms = -1\n";
  const auto p = problems_of(text);
  EXPECT_GE(p.size(), 3u);
}

TEST(SessionConfig, StrategyMustNameAConfiguredInstrument) {
  std::string text = valid_config;
  text.replace(text.find("instrument = \"SYN-A\""), 20, "instrument = \"NOPE\"");
  const auto p = problems_of(text);
  EXPECT_TRUE(any_contains(p, "strategies[0].instrument"));
  EXPECT_TRUE(any_contains(p, "\"NOPE\""));
}

TEST(SessionConfig, StrategyNotionalAboveRiskLimitIsRefused) {
  std::string text = valid_config;
  text.replace(text.find("order_notional = 40.0"), 21, "order_notional = 60.0");
  EXPECT_TRUE(any_contains(problems_of(text), "strategies[0].order_notional"));
}

TEST(SessionConfig, SyntaxErrorHasLineAndColumn) {
  const auto p = problems_of("[session\nname = 1\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("test.toml:1:"), std::string::npos) << p[0];
}

TEST(SessionConfig, MissingFileIsAClearError) {
  try {
    (void)load_config("/nonexistent/peak.toml");
    FAIL() << "expected config_error";
  } catch (const config_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/peak.toml"), std::string::npos);
  }
}

TEST(SessionConfig, CanonicalSnapshotRoundTrips) {
  std::string text = valid_config;
  text += R"(
[outlook]
fast_period = 12
slow_period = 48
[[outlook.blackout]]
start = 2012-02-03T13:30:00Z
end = 2012-02-03T14:00:00Z
label = "NFP"
)";
  const session_config a = parse_config(text, "a.toml");
  const std::string snapshot = to_toml(a);
  const session_config b = parse_config(snapshot, "snapshot.toml");
  EXPECT_EQ(to_toml(b), snapshot);
  ASSERT_EQ(b.outlook.blackouts.size(), 1u);
  EXPECT_EQ(b.outlook.blackouts[0].start, 1328275800LL * 1'000'000'000);
}

TEST(SessionConfig, FlattenOnHaltIsOffByDefaultAndRoundTrips) {
  EXPECT_FALSE(parse_config(valid_config, "test.toml").kill_switch.flatten_on_halt);
  const session_config c =
      parse_config(std::string(valid_config) + "\n[kill_switch]\nflatten_on_halt = true\n", "k");
  EXPECT_TRUE(c.kill_switch.flatten_on_halt);
  const std::string snapshot = to_toml(c);
  EXPECT_NE(snapshot.find("[kill_switch]\nflatten_on_halt = true"), std::string::npos);
  EXPECT_TRUE(parse_config(snapshot, "snapshot.toml").kill_switch.flatten_on_halt);
  const auto typo =
      problems_of(std::string(valid_config) + "\n[kill_switch]\nflatten_on_hlt = true\n");
  EXPECT_TRUE(any_contains(typo, "kill_switch.flatten_on_hlt")) << typo.front();
  const auto wrong =
      problems_of(std::string(valid_config) + "\n[kill_switch]\nflatten_on_halt = \"yes\"\n");
  EXPECT_TRUE(any_contains(wrong, "kill_switch.flatten_on_halt"));
}

TEST(SessionConfig, ShippedExampleConfigsAreValid) {
  for (const char* name : {"paper_demo.toml", "shadow_demo.toml"}) {
    const std::string path = std::string(PEAK_SOURCE_DIR) + "/config/" + name;
    EXPECT_NO_THROW((void)load_config(path)) << path;
  }
}

}  // namespace
}  // namespace peak::config
