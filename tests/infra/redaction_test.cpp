#include "infra/redaction.hpp"

#include <gtest/gtest.h>

#include <string>

namespace peak::infra {
namespace {

TEST(Redaction, NeverHidesIdsThatAreNotSecrets) {
  const std::string line =
      "event=session_start id=paper-20261123T210219-1234 run_id=paper-dd7b2646ee1e65ec "
      "sessionId=AbCdEfGh1234567890IjKlMnOp pack_id: 0123456789abcdef0123456789abcdef";
  EXPECT_EQ(redact(line), line);
  EXPECT_EQ(redact("session paper-20261123T210219-1234 started"),
            "session paper-20261123T210219-1234 started");
  EXPECT_TRUE(is_id_key_name("session_id"));
  EXPECT_TRUE(is_id_key_name("clientOrderId"));
  EXPECT_FALSE(is_id_key_name("api_key_id"));  // names a key: a secret first
  EXPECT_FALSE(is_id_key_name("idle"));
}

TEST(Redaction, OneMarkerForLogsAndEvidence) {
  EXPECT_EQ(redact("api_key=abc123 side=buy"), "api_key=[REDACTED] side=buy");
  EXPECT_EQ(redact_secrets("[broker]\napi_key = \"abc\"\n").text,
            "[broker]\napi_key = \"[REDACTED]\"\n");
}

TEST(Redaction, BothPassesApplyToEveryCaller) {
  // Inline pass: query strings and URL user info, also inside a config snapshot.
  const auto r = redact_secrets(
      "[market_data]\nurl = \"wss://bob:pw@127.0.0.1/ws?access_token=abc&x=1\"\n"
      "note = \"AKIAIOSFODNN7EXAMPLE\"\n");
  EXPECT_EQ(r.text,
            "[market_data]\nurl = \"wss://bob:[REDACTED]@127.0.0.1/ws?access_token=[REDACTED]&x=1\"\n"
            "note = \"[REDACTED]\"\n");
  EXPECT_EQ(r.redactions, 3u);
  EXPECT_EQ(redact_secrets(r.text).text, r.text);
  EXPECT_EQ(redact_secrets(r.text).redactions, 0u);
}

}  // namespace
}  // namespace peak::infra
