#include "session/session_state.hpp"

#include <gtest/gtest.h>

#include "session/engine_kind.hpp"

namespace peak::session {
namespace {

TEST(SessionState, RoundTripsEveryState) {
  for (auto s : {session_state::starting, session_state::running, session_state::halted,
                 session_state::stopping, session_state::finished, session_state::failed,
                 session_state::crashed}) {
    session_state parsed = session_state::failed;
    ASSERT_TRUE(parse(to_string(s), parsed)) << to_string(s);
    EXPECT_EQ(parsed, s);
  }
  session_state untouched = session_state::running;
  EXPECT_FALSE(parse("RUNNING", untouched));
  EXPECT_EQ(untouched, session_state::running);
  EXPECT_TRUE(is_live(session_state::halted));
  EXPECT_FALSE(is_live(session_state::finished));
}

TEST(EngineKind, ParsesBothEngines) {
  engine_kind k = engine_kind::graph;
  ASSERT_TRUE(parse("reference", k));
  EXPECT_EQ(k, engine_kind::reference);
  EXPECT_STREQ(to_string(k), "reference");
  EXPECT_FALSE(parse("actors", k));
  EXPECT_EQ(k, engine_kind::reference);
}

}  // namespace
}  // namespace peak::session
