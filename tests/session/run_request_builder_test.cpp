#include "session/run_request_builder.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace peak::session {
namespace {

TEST(RunRequestBuilder, AppliesCommandLineOverrides) {
  run_overrides o;
  o.mode = config::session_mode::shadow;
  o.seed = 42;
  o.synthetic_events = 1000;
  o.speed = "0.5x";
  o.operator_id = "alice";
  o.engine = engine_kind::reference;
  const run_request r = build_run_request(o, "peak run");
  EXPECT_EQ(r.config.session.mode, config::session_mode::shadow);
  EXPECT_EQ(r.config.session.seed, 42u);
  EXPECT_EQ(r.config.market_data.source, "synthetic");
  EXPECT_EQ(r.config.market_data.synthetic.events, 1000u);
  EXPECT_EQ(r.config.market_data.speed, "0.5x");
  EXPECT_DOUBLE_EQ(r.graph.speed, 0.5);
  EXPECT_EQ(r.config.session.operator_id, "alice");
  EXPECT_EQ(r.engine, engine_kind::reference);
  EXPECT_EQ(r.command_line, "peak run");
}

TEST(RunRequestBuilder, RefusesBadSpeedsNamingTheOption) {
  for (const char* bad : {"abc", "nan", "-1x", "0x", "fast", "1y"}) {
    run_overrides o;
    o.speed = bad;
    try {
      (void)build_run_request(o, "");
      ADD_FAILURE() << bad << " accepted";
    } catch (const config::config_error& e) {
      ASSERT_EQ(e.problems().size(), 1u);
      EXPECT_NE(e.problems()[0].find("--speed"), std::string::npos) << e.problems()[0];
      EXPECT_NE(e.problems()[0].find(bad), std::string::npos) << e.problems()[0];
    }
  }
}

TEST(RunRequestBuilder, ConfigDataResolvesNextToTheConfigCommandLineDataHere) {
  const auto dir = std::filesystem::temp_directory_path() / "peak_session_builder_test";
  std::filesystem::create_directories(dir);
  const auto path = dir / "replay.toml";
  std::ofstream(path) << "[market_data]\nsource = \"replay\"\nfiles = [\"bars.csv\"]\n";
  run_overrides o;
  o.config_path = path.string();
  EXPECT_EQ(build_run_request(o, "").base_dir, dir.string());
  o.data = {"other.csv"};
  EXPECT_EQ(build_run_request(o, "").base_dir, ".");
}

}  // namespace
}  // namespace peak::session
