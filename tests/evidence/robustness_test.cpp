/// Arbitrary input never crashes the parsers (run under ASan/UBSan in the asan preset).

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "evidence/audit_log.hpp"
#include "evidence/json.hpp"
#include "evidence/live_lock.hpp"
#include "evidence/redaction.hpp"

namespace {

using namespace peak::evidence;

std::string random_text(std::mt19937& rng, std::size_t max_len) {
  static constexpr char alphabet[] =
      "{}[]\":,=' \n\t\\abcdefABCDEF0123456789_-/+.@:kesytokenpasswordBearer";
  std::uniform_int_distribution<std::size_t> len(0, max_len);
  std::uniform_int_distribution<std::size_t> pick(0, sizeof alphabet - 2);
  std::uniform_int_distribution<int> raw(0, 255);
  std::string s(len(rng), ' ');
  for (auto& c : s)
    c = raw(rng) < 16 ? static_cast<char>(raw(rng)) : alphabet[pick(rng)];
  return s;
}

TEST(Robustness, ArbitraryInputNeverCrashesAndRedactionIsIdempotent) {
  std::mt19937 rng(20261123);  // fixed seed: reproducible
  for (int i = 0; i < 3000; ++i) {
    const std::string text = random_text(rng, 200);
    const auto once = redact_secrets(text);
    EXPECT_EQ(redact_secrets(once.text).text, once.text) << text;
    const auto audit = verify_audit_log_text(text);
    EXPECT_FALSE(audit.ok && audit.records > 0 && text.find("\"hash\"") == std::string::npos);
    std::string canonical;
    (void)json_canonical(text, {"wall_clock"}, canonical);
    (void)is_loopback_venue(text);
  }
}

}  // namespace
