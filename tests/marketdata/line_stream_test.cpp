#include "marketdata/line_stream.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "marketdata/replay.hpp"
#include "marketdata/replay_error.hpp"

namespace peak::marketdata {
namespace {

namespace fs = std::filesystem;

struct scratch {
  fs::path path;
  scratch() {
    path = fs::temp_directory_path() /
           ("peak_ls_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~scratch() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return path / name;
  }
};

/// Every line of a stream, oversized ones as "<skipped N>".
std::vector<std::string> drain(line_stream& s) {
  std::vector<std::string> lines;
  const char* data = nullptr;
  std::size_t length = 0;
  for (;;) {
    const auto got = s.next(data, length);
    if (got == line_stream::status::end)
      return lines;
    if (got == line_stream::status::line) {
      lines.emplace_back(data, length);
      for (std::size_t i = 0; i < 64; ++i)  // the padding is readable (ASan checks it)
        EXPECT_NE(data[length + i], '\x7f');
    } else {
      lines.push_back("<skipped " + std::to_string(length) + ">");
    }
  }
}

std::string error_of(const std::string& path) {
  try {
    line_stream s(path, 64, 1024);
  } catch (const replay_error& e) {
    return e.what();
  }
  return "no error";
}

TEST(LineStream, SplitsLinesAcrossChunksAndKeepsTheLastWithoutNewline) {
  scratch dir;
  std::string text;
  std::vector<std::string> want;
  for (int i = 0; i < 200'000; ++i) {  // ~2.6 MB: several 1 MiB chunks
    want.push_back("1700000000," + std::to_string(i) + ",1");
    text += want.back() + (i + 1 < 200'000 ? "\n" : "");
  }
  line_stream s(dir.write("a.csv", text).string(), 64, 1 << 20);
  EXPECT_EQ(drain(s), want);
  EXPECT_LE(s.buffer_bytes(), (1u << 20) + 64u + 1u);
}

TEST(LineStream, GrowsForLongLinesUpToTheLimitAndSkipsLongerOnes) {
  scratch dir;
  const std::string three_mib(3u << 20, 'a');
  const std::string nine_mib(9u << 20, 'b');
  line_stream s(dir.write("long.txt", "x\n" + three_mib + "\ny\n" + nine_mib + "\nz").string(), 64,
                4u << 20);
  const auto lines = drain(s);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0], "x");
  EXPECT_EQ(lines[1], three_mib);
  EXPECT_EQ(lines[2], "y");
  EXPECT_EQ(lines[3], "<skipped " + std::to_string(nine_mib.size()) + ">");
  EXPECT_EQ(lines[4], "z");
  EXPECT_LE(s.buffer_bytes(), (4u << 20) + 1u + 64u);
}

TEST(LineStream, RefusesWhatIsNotARegularTextFileWithoutBlocking) {
  scratch dir;
  const auto start = std::chrono::steady_clock::now();
  const std::string fifo = (dir.path / "pipe").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_NE(error_of(fifo).find(fifo + ": not a regular file (a FIFO)"), std::string::npos)
      << error_of(fifo);
  EXPECT_NE(error_of(dir.path.string()).find("not a regular file (a directory)"),
            std::string::npos);
  if (fs::exists("/dev/zero")) {
    EXPECT_NE(error_of("/dev/zero").find("/dev/zero: not a regular file (a character device)"),
              std::string::npos);
  }
  EXPECT_NE(error_of((dir.path / "nope").string()).find("not found"), std::string::npos);
  EXPECT_NE(error_of(dir.write("empty", "").string()).find("empty file"), std::string::npos);
  EXPECT_NE(error_of(dir.write("bin", std::string("ab\0cd", 5)).string()).find("NUL bytes"),
            std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

long resident_kib() {
  std::ifstream status("/proc/self/status");
  std::string key;
  long value = 0;
  while (status >> key) {
    if (key == "VmRSS:") {
      status >> value;
      return value;
    }
    status.ignore(1 << 12, '\n');
  }
  return -1;
}

TEST(ReplayStreaming, LargeSparseFileIsReadWithBoundedMemory) {
  // 1,000 trades, then a 256 MiB hole (zeros, one endless line): reading it whole cost the
  // file's size in memory; streamed, the buffer stays at its first chunk.
  scratch dir;
  std::string text = "timestamp,price,size\n";
  for (int i = 0; i < 1000; ++i)
    text += std::to_string(1'700'000'000 + i) + ",10.5,1\n";
  const fs::path p = dir.write("big.csv", text);
  fs::resize_file(p, std::uintmax_t{256} << 20);
  symbol_map m;
  m.add("AAA", 0);
  replay_options o;
  o.max_line_bytes = 1u << 20;
  const long before = resident_kib();
  replay_source r({{p.string(), feed_format::csv_trades, "AAA"}}, m, o);
  market_event e;
  std::size_t events = 0;
  while (r.next(e))
    ++events;
  const long grown = resident_kib() - before;
  EXPECT_EQ(events, 1000u);
  const auto s = r.stats();
  EXPECT_EQ(s.totals.malformed, 1u);
  EXPECT_EQ(s.totals.lines, 1002u);
  ASSERT_EQ(s.first_malformed.size(), 1u);
  EXPECT_EQ(s.first_malformed[0].line, 1002u);
  EXPECT_NE(s.first_malformed[0].reason.find("longer than 1048576 bytes"), std::string::npos);
  EXPECT_LE(r.buffer_bytes(), (2u << 20));
  if (before > 0) {
    EXPECT_LT(grown, 64 * 1024) << "resident memory grew by " << grown << " KiB";
  }
}

TEST(ReplayStreaming, SparseFileStartingWithZerosFailsAtOnce) {
  scratch dir;
  const fs::path p = dir.path / "hole.csv";
  std::ofstream(p).close();
  fs::resize_file(p, std::uintmax_t{2} << 30);  // 2 GiB, no data blocks
  symbol_map m;
  m.add("AAA", 0);
  const auto start = std::chrono::steady_clock::now();
  try {
    replay_source r({{p.string(), feed_format::csv_trades, "AAA"}}, m);
    ADD_FAILURE() << "no error for a file of zeros";
  } catch (const replay_error& e) {
    EXPECT_NE(std::string(e.what()).find(p.string() + ": binary content"), std::string::npos)
        << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

}  // namespace
}  // namespace peak::marketdata
