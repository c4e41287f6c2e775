#include "evidence/redaction.hpp"

#include <gtest/gtest.h>

#include "evidence/sha256.hpp"

namespace {

using namespace peak::evidence;

constexpr const char* api_key = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";

bool contains(const std::string& text, std::string_view what) {
  return text.find(what) != std::string::npos;
}

TEST(Redaction, RedactsSecretKeysInToml) {
  const auto r = redact_secrets(
      "[broker]\napi_key = \"abc\"\nsecret = 'hunter2'\npassword=pw\nname = \"paper\"\n"
      "apiSecret = \"x\"\nauth_token = \"t\"\npassphrase = \"p\"\n");
  EXPECT_EQ(r.redactions, 6u);
  EXPECT_FALSE(contains(r.text, "hunter2"));
  EXPECT_FALSE(contains(r.text, "\"abc\""));
  EXPECT_TRUE(contains(r.text, "api_key = \"[REDACTED]\""));
  EXPECT_TRUE(contains(r.text, "name = \"paper\""));
}

TEST(Redaction, RedactsSecretKeysInJson) {
  const auto r = redact_secrets("{\"apiKey\": \"abc123\", \"mode\": \"paper\", \"token\":42}");
  EXPECT_EQ(r.text, "{\"apiKey\": \"[REDACTED]\", \"mode\": \"paper\", \"token\":[REDACTED]}");
}

TEST(Redaction, RedactsLooksLikeKeyValuesAnywhere) {
  const std::string line = std::string("connecting with ") + api_key + " to venue";
  const auto r = redact_secrets(line);
  EXPECT_FALSE(contains(r.text, api_key));
  EXPECT_EQ(r.text, "connecting with [REDACTED] to venue");
  EXPECT_TRUE(contains(redact_secrets("AKIAIOSFODNN7EXAMPLE in log").text, "[REDACTED]"));
}

TEST(Redaction, RedactsBearerTokens) {
  auto r = redact_secrets("Authorization: Bearer eyJhbGciOi.JIUzI1NiJ9.abc");
  EXPECT_EQ(r.text, "Authorization: [REDACTED]");
  r = redact_secrets("sent header bearer abcdefgh12345678 ok");
  EXPECT_EQ(r.text, "sent header bearer [REDACTED] ok");
}

TEST(Redaction, RedactsArraysUnderSecretKeys) {
  const auto r = redact_secrets("api_keys = [\"one\", \"two\"]\nsymbols = [\"BTC\", \"ETH\"]");
  EXPECT_EQ(r.text, "api_keys = [\"[REDACTED]\", \"[REDACTED]\"]\nsymbols = [\"BTC\", \"ETH\"]");
}

TEST(Redaction, KeepsHashesUnderKnownHashFields) {
  const std::string h = sha256::hash_hex("x");
  const std::string manifest = "{\"sha256\": \"" + h + "\", \"prev_hash\":\"" + h +
                               "\", \"config_hash\": \"" + h + "\", \"hash\": \"" + h +
                               "\", \"commit\": \"0123456789abcdef0123456789abcdef01234567\"}";
  const auto r = redact_secrets(manifest);
  EXPECT_EQ(r.text, manifest);
  EXPECT_EQ(r.redactions, 0u);
  // The same hex under an unknown key looks like a credential.
  EXPECT_EQ(redact_secrets("session = \"" + h + "\"").text, "session = \"[REDACTED]\"");
}

TEST(Redaction, LeavesOrdinaryTextAlone) {
  const std::string text =
      "[session]\nmode = \"paper\"\nseed = 42\ndata = \"/work/shared/data/exchange-captures/"
      "BINANCE.ws.1.0\"\nmax_order_notional = 50.0\n# comment: key points\n"
      "path = \"/home/operator/peaktrade/configs/paper_session_december\"\n"
      "2026-11-23T20:44:22Z INFO order 12 filled qty=0.5 px=101.25\n";
  const auto r = redact_secrets(text);
  EXPECT_EQ(r.text, text);
  EXPECT_EQ(r.redactions, 0u);
}

TEST(Redaction, IsIdempotent) {
  const std::string text = std::string("key = \"") + api_key + "\"\nlog " + api_key + "\n";
  const auto once = redact_secrets(text);
  const auto twice = redact_secrets(once.text);
  EXPECT_EQ(once.text, twice.text);
  EXPECT_EQ(twice.redactions, 0u);
  EXPECT_FALSE(contains(once.text, api_key));
}

TEST(Redaction, ClassifiesKeyNames) {
  EXPECT_TRUE(is_secret_key_name("api_key"));
  EXPECT_TRUE(is_secret_key_name("API-KEY"));
  EXPECT_TRUE(is_secret_key_name("clientSecret"));
  EXPECT_TRUE(is_secret_key_name("broker.password"));
  EXPECT_FALSE(is_secret_key_name("keyboard"));
  EXPECT_FALSE(is_secret_key_name("prev_hash"));
  EXPECT_FALSE(is_secret_key_name("instrument"));
  EXPECT_TRUE(is_hash_key_name("manifest_sha256"));
}

TEST(Redaction, RedactsSecretsInsideFreeTextValues) {
  const std::string toml =
      "run_reason = \"deploy after rotation, password=hunter2 and token: abc\"\nname = \"x\"\n";
  const auto r = redact_secrets(toml);
  EXPECT_FALSE(contains(r.text, "hunter2")) << r.text;
  EXPECT_FALSE(contains(r.text, "abc\"")) << r.text;
  EXPECT_EQ(r.redactions, 2u);
  EXPECT_TRUE(contains(r.text, "run_reason = \"deploy after rotation, password=[REDACTED]"));
  EXPECT_EQ(redact_secrets(r.text).text, r.text);  // idempotent
  EXPECT_EQ(redact_secrets(r.text).redactions, 0u);
}

}  // namespace
