#include "observability/logging.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "observability/redaction.hpp"
#include "spdlog/sinks/base_sink.h"
#include "spdlog/spdlog.h"

namespace peak::observability {
namespace {

/// Keeps every formatted line (what a file or console would receive).
class capture_sink final : public spdlog::sinks::base_sink<std::mutex> {
public:
  std::vector<std::string> lines() {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
  }

protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t buf;
    formatter_->format(msg, buf);
    lines_.emplace_back(buf.data(), buf.size());
  }
  void flush_() override {}

private:
  std::vector<std::string> lines_;
};

/// Waits (bounded) until the async logger has delivered `n` lines.
std::vector<std::string> wait_lines(capture_sink& sink, std::size_t n) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  auto lines = sink.lines();
  while (lines.size() < n && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    lines = sink.lines();
  }
  return lines;
}

constexpr const char* secrets[] = {
    "hunter2-very-secret",
    "0123456789abcdef0123456789abcdef01234567",  // 40 hex
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",      // JWT header (base64url)
    "AbCdEfGh1234567890IjKlMnOpQr",              // API-key shaped
    "s3cr3tP@ss",
};

std::shared_ptr<capture_sink> setup_capture(const std::string& name, const std::string& level) {
  auto sink = std::make_shared<capture_sink>();
  log_config cfg;
  cfg.name = name;
  cfg.level = level;
  cfg.console = false;
  cfg.extra_sinks.push_back(sink);
  setup_logging(cfg);
  return sink;
}

TEST(Redaction, NoCredentialReachesTheSinkThroughTheAsyncLogger) {
  auto sink = setup_capture("redaction_test", "info");
  auto logger = spdlog::get("redaction_test");
  ASSERT_NE(logger, nullptr);
  logger->info("connecting api_key={} to venue", secrets[3]);
  logger->info("{{\"password\": \"{}\", \"user\": \"alice\"}}", secrets[0]);
  logger->info("Authorization: Bearer {}", secrets[2]);
  logger->warn("broker said token {} expired", secrets[1]);
  logger->error("retrying https://alice:{}@127.0.0.1:9000/ws", secrets[4]);
  log_event(*logger, spdlog::level::info, "broker_login",
            {{"user", "alice"}, {"passphrase", secrets[4]}, {"session_key", secrets[0]}});
  const auto lines = wait_lines(*sink, 6);
  ASSERT_EQ(lines.size(), 6u);
  for (const auto& line : lines) {
    for (const char* secret : secrets) {
      EXPECT_EQ(line.find(secret), std::string::npos) << line;
    }
    EXPECT_NE(line.find("[REDACTED]"), std::string::npos) << line;
  }
  spdlog::drop("redaction_test");
}

TEST(Redaction, LogFileHoldsNoCredentialAfterShutdown) {
  char dir[] = "/tmp/peak-log-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  const std::string file = std::string(dir) + "/session.log";
  log_config cfg;
  cfg.name = "file_test";
  cfg.console = false;
  cfg.file = file;
  auto logger = setup_logging(cfg);
  log_event(*logger, spdlog::level::warn, "venue_connect",
            {{"api_secret", secrets[0]}, {"note", std::string("token ") + secrets[1]}});
  logger->error("auth header was Bearer {}", secrets[2]);
  logger.reset();
  shutdown_logging();
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  std::filesystem::remove_all(dir);
  EXPECT_FALSE(text.str().empty());
  for (const char* secret : secrets) {
    EXPECT_EQ(text.str().find(secret), std::string::npos) << text.str();
  }
}

TEST(Logging, LevelIsConfigurable) {
  auto sink = setup_capture("level_test", "warn");
  auto logger = spdlog::get("level_test");
  ASSERT_NE(logger, nullptr);
  logger->info("dropped");
  logger->warn("kept");
  const auto lines = wait_lines(*sink, 1);
  EXPECT_EQ(lines.size(), 1u);
  spdlog::drop("level_test");
}

TEST(Logging, UnknownLevelIsRejected) {
  log_config cfg;
  cfg.name = "bad_level_test";
  cfg.level = "verbose";
  cfg.console = false;
  EXPECT_THROW(setup_logging(cfg), std::invalid_argument);
}

TEST(Redaction, KeyValueForms) {
  EXPECT_EQ(redact("api_key=abc123 side=buy"), "api_key=[REDACTED] side=buy");
  EXPECT_EQ(redact("secret: xyz, qty=3"), "secret: [REDACTED], qty=3");
  EXPECT_EQ(redact("{\"password\":\"p w\",\"n\":1}"), "{\"password\":\"[REDACTED]\",\"n\":1}");
  EXPECT_EQ(redact("TOKEN='abc def'"), "TOKEN='[REDACTED]'");
  EXPECT_EQ(redact("GET /ws?access_token=abc&x=1"), "GET /ws?access_token=[REDACTED]&x=1");
  EXPECT_EQ(redact("Authorization: Bearer abc.def"), "Authorization: [REDACTED]");
  EXPECT_EQ(redact("header Bearer abc.def"), "header Bearer [REDACTED]");
  EXPECT_EQ(redact("Basic dXNlcjpwYXNz"), "Basic [REDACTED]");
  EXPECT_EQ(redact("wss://bob:pw@127.0.0.1/x"), "wss://bob:[REDACTED]@127.0.0.1/x");
}

TEST(Redaction, StandaloneTokens) {
  EXPECT_EQ(redact("id 0123456789abcdef0123456789abcdef"), "id [REDACTED]");
  EXPECT_EQ(redact("k AbCdEfGh1234567890IjKlMnOp!"), "k [REDACTED]!");
  EXPECT_EQ(redact("jwt eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.x"),
            "jwt [REDACTED].[REDACTED].x");
}

TEST(Redaction, OrdinaryTextIsKept) {
  const std::string plain =
      "event=order_filled id=42 side=buy qty=0.5 px=30123.5 state=trading_state_reducing "
      "session_id=550e8400-e29b-41d4-a716-446655440000 at 12:30:01";
  EXPECT_EQ(redact(plain), plain);
  const std::string digest =
      "config_hash=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  EXPECT_EQ(redact(digest), digest);
}

TEST(Redaction, FormatEventQuotesAndRedacts) {
  EXPECT_EQ(format_event("halt", {{"reason", "daily_loss"}, {"detail", "loss 101 > 100"}}),
            "event=halt reason=daily_loss detail=\"loss 101 > 100\"");
  EXPECT_EQ(format_event("login", {{"password", "x"}}), "event=login password=[REDACTED]");
}

}  // namespace
}  // namespace peak::observability
