#include "marketdata/replay.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "marketdata/decimal.hpp"
#include "marketdata/quality_checker.hpp"

namespace peak::marketdata {
namespace {

namespace fs = std::filesystem;

const fs::path captures = fs::path(PEAK_SHARED_DATA_DIR) / "exchange-captures";
const fs::path bars = fs::path(PEAK_SHARED_DATA_DIR) / "bars";

#define REQUIRE_FILE(p)                                     \
  do {                                                      \
    if (!fs::exists(p))                                     \
      GTEST_SKIP() << "shared data not available: " << (p); \
  } while (0)

std::vector<std::string> read_lines(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line))
    lines.push_back(line);
  return lines;
}

std::size_t count_lines(const std::vector<std::string>& lines, const std::string& needle) {
  std::size_t n = 0;
  for (const auto& l : lines)
    n += l.find(needle) != std::string::npos ? 1u : 0u;
  return n;
}

/// A scratch directory for doctored copies, removed at the end of the test.
struct temp_dir {
  fs::path path;
  temp_dir() {
    path = fs::temp_directory_path() /
           ("peak_md_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path write(const std::string& name, const std::vector<std::string>& lines,
                 bool final_newline = true) const {
    const fs::path p = path / name;
    std::ofstream out(p, std::ios::binary);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      out << lines[i];
      if (i + 1 < lines.size() || final_newline)
        out << '\n';
    }
    return p;
  }
};

struct replay_result {
  std::vector<market_event> events;
  replay_stats stats;
  quality_counters flags;
  std::uint32_t instruments = 0;
};

/// Quality thresholds for 30-second captures of many instruments: per-instrument silences
/// of tens of seconds are normal there, so only minute-long gaps count.
quality_config capture_quality() {
  quality_config c;
  c.gap_threshold_ns = 60'000'000'000;
  c.stale_after_ns = 60'000'000'000;
  return c;
}

replay_result replay_all(const std::vector<replay_file>& files,
                         quality_config qc = capture_quality(), symbol_map symbols = {},
                         bool auto_add = true) {
  replay_options o;
  o.reader.auto_add_symbols = auto_add;
  replay_source r(files, symbols, o);
  replay_result res;
  market_event e;
  while (r.next(e))
    res.events.push_back(e);
  res.stats = r.stats();
  res.instruments = r.symbols().instrument_count();
  quality_checker q(qc, res.instruments);
  for (auto& ev : res.events)
    q.check(ev);
  res.flags = q.totals();
  return res;
}

std::uint64_t messages(const replay_result& r, message_type t) {
  return r.stats.totals.messages[static_cast<std::size_t>(t)];
}

std::string flag_summary(const quality_counters& c) {
  std::ostringstream o;
  for (std::size_t i = 0; i < c.by_flag.size(); ++i)
    o << c.by_flag[i] << ' ';
  return o.str();
}

std::string json_string_after(const std::string& line, const std::string& key) {
  const auto at = line.find(key);
  if (at == std::string::npos)
    return {};
  const auto start = at + key.size();
  return line.substr(start, line.find('"', start) - start);
}

// ----- real recordings ------------------------------------------------------------------

TEST(ReplayRecordings, BinanceMessageCountsMatchAndNoFlags) {
  for (const char* name : {"BINANCE.ws.1.0", "BINANCE_US.ws.1.0", "BINANCE_FUTURES.ws.1.0"}) {
    const fs::path p = captures / name;
    REQUIRE_FILE(p);
    const auto lines = read_lines(p);
    const auto r = replay_all({{p.string()}});
    SCOPED_TRACE(name);
    EXPECT_EQ(messages(r, message_type::trade), count_lines(lines, "\"e\":\"aggTrade\""));
    EXPECT_EQ(messages(r, message_type::quote), count_lines(lines, "@bookTicker\""));
    EXPECT_EQ(messages(r, message_type::bar), count_lines(lines, "\"e\":\"kline\""));
    EXPECT_EQ(messages(r, message_type::book_update), count_lines(lines, "\"e\":\"depthUpdate\""));
    EXPECT_EQ(r.stats.totals.non_data, count_lines(lines, " <-> "));
    EXPECT_EQ(r.stats.totals.malformed, 0u);
    EXPECT_EQ(r.stats.totals.lines, lines.size());
    EXPECT_EQ(r.instruments, 4u);
    EXPECT_EQ(r.flags.flagged, 0u) << flag_summary(r.flags);
  }
}

TEST(ReplayRecordings, BinanceTradePricesAndSizesAreExact) {
  const fs::path p = captures / "BINANCE_FUTURES.ws.1.0";
  REQUIRE_FILE(p);
  std::vector<std::int64_t> want_px, want_qty;
  std::vector<std::uint64_t> want_id;
  for (const auto& l : read_lines(p)) {
    if (l.find("\"e\":\"aggTrade\"") == std::string::npos)
      continue;
    std::int64_t v = 0;
    ASSERT_TRUE(parse_fixed(json_string_after(l, "\"p\":\""), v));
    want_px.push_back(v);
    ASSERT_TRUE(parse_fixed(json_string_after(l, "\"q\":\""), v));
    want_qty.push_back(v);
    const auto at = l.find("\"a\":") + 4;
    want_id.push_back(std::stoull(l.substr(at)));
  }
  const auto r = replay_all({{p.string()}});
  std::size_t i = 0;
  for (const auto& e : r.events) {
    if (e.kind != event_kind::trade)
      continue;
    ASSERT_LT(i, want_px.size());
    EXPECT_EQ(e.px.raw, want_px[i]);
    EXPECT_EQ(e.qty.raw, want_qty[i]);
    EXPECT_EQ(e.sequence, want_id[i]);
    ++i;
  }
  EXPECT_EQ(i, want_px.size());
  EXPECT_GT(i, 50u);
}

TEST(ReplayRecordings, CoinbaseMessageCountsMatchAndNoFlags) {
  const fs::path p = captures / "COINBASE.ws.28.0";
  REQUIRE_FILE(p);
  const auto lines = read_lines(p);
  const auto r = replay_all({{p.string()}});
  EXPECT_EQ(messages(r, message_type::trade), count_lines(lines, "\"type\":\"match\"") +
                                                  count_lines(lines, "\"type\":\"last_match\""));
  EXPECT_EQ(messages(r, message_type::quote), count_lines(lines, "\"type\":\"ticker\""));
  EXPECT_EQ(messages(r, message_type::book_update), count_lines(lines, "\"type\":\"l2update\""));
  EXPECT_EQ(messages(r, message_type::book_snapshot), count_lines(lines, "\"type\":\"snapshot\""));
  EXPECT_EQ(r.stats.totals.non_data, count_lines(lines, " <-> ") + count_lines(lines, " <- ") +
                                         count_lines(lines, "\"type\":\"subscriptions\""));
  EXPECT_EQ(r.stats.totals.malformed, 0u);
  EXPECT_EQ(r.instruments, 10u);
  EXPECT_EQ(r.flags.flagged, 0u) << flag_summary(r.flags);
  // Exact match prices: the first match line.
  for (const auto& l : lines) {
    if (l.find("\"type\":\"match\"") == std::string::npos)
      continue;
    std::int64_t want_px = 0, want_qty = 0;
    ASSERT_TRUE(parse_fixed(json_string_after(l, "\"price\":\""), want_px));
    ASSERT_TRUE(parse_fixed(json_string_after(l, "\"size\":\""), want_qty));
    bool found = false;
    for (const auto& e : r.events)
      found =
          found || (e.kind == event_kind::trade && e.px.raw == want_px && e.qty.raw == want_qty);
    EXPECT_TRUE(found);
    break;
  }
}

TEST(ReplayRecordings, KrakenMessageCountsMatchAndNoFlags) {
  const fs::path trades = captures / "KRAKEN.ws.48.0";
  const fs::path book = captures / "KRAKEN.ws.50.0";
  REQUIRE_FILE(trades);
  REQUIRE_FILE(book);
  const auto tl = read_lines(trades);
  const auto bl = read_lines(book);
  const auto rt = replay_all({{trades.string()}});
  EXPECT_EQ(messages(rt, message_type::trade), count_lines(tl, "]],\"trade\",\""));
  std::size_t individual = 0;
  for (const auto& l : tl)
    if (l.find("]],\"trade\",\"") != std::string::npos)
      for (std::size_t at = l.find("[\""); at != std::string::npos; at = l.find("[\"", at + 1))
        ++individual;
  EXPECT_EQ(rt.stats.totals.events[0], individual);
  EXPECT_EQ(rt.stats.totals.malformed, 0u);
  EXPECT_EQ(rt.flags.flagged, 0u) << flag_summary(rt.flags);
  const auto rb = replay_all({{book.string()}});
  EXPECT_EQ(messages(rb, message_type::book_snapshot), count_lines(bl, "{\"as\":["));
  EXPECT_EQ(messages(rb, message_type::book_update) + messages(rb, message_type::book_snapshot),
            count_lines(bl, "},\"book-1000\",\""));
  EXPECT_EQ(rb.stats.totals.non_data, count_lines(bl, "\"event\":") + count_lines(bl, " <-> "));
  EXPECT_EQ(rb.stats.totals.malformed, 0u);
  EXPECT_EQ(rb.flags.flagged, 0u) << flag_summary(rb.flags);
}

TEST(ReplayRecordings, BitstampMessageCountsMatchAndNoFlags) {
  const fs::path p = captures / "BITSTAMP.ws.1.0";
  REQUIRE_FILE(p);
  const auto lines = read_lines(p);
  const auto r = replay_all({{p.string()}});
  EXPECT_EQ(messages(r, message_type::trade), count_lines(lines, "\"event\":\"trade\""));
  EXPECT_EQ(messages(r, message_type::book_update), count_lines(lines, "\"event\":\"data\""));
  EXPECT_EQ(r.stats.totals.non_data,
            count_lines(lines, "\"event\":\"bts:") + count_lines(lines, " <-> "));
  EXPECT_EQ(r.stats.totals.malformed, 0u);
  EXPECT_EQ(r.flags.flagged, 0u) << flag_summary(r.flags);
}

TEST(ReplayRecordings, CsvBarsReplayWithSessionSymbol) {
  const fs::path p = bars / "gbpusd-m1-bid-2012.csv";
  REQUIRE_FILE(p);
  symbol_map m;
  m.add("EURUSD", 0);
  m.add("GBPUSD", 1);
  replay_file f{p.string(), feed_format::unknown, "GBP/USD"};
  // One-minute bars: the gap and stale limits must exceed the bar interval.
  quality_config qc;
  qc.gap_threshold_ns = 600'000'000'000;
  qc.stale_after_ns = 600'000'000'000;
  const auto r = replay_all({f}, qc, m, false);
  const auto lines = read_lines(p);
  EXPECT_EQ(messages(r, message_type::bar), lines.size() - 1);
  EXPECT_EQ(r.stats.totals.non_data, 1u);  // header
  ASSERT_FALSE(r.events.empty());
  EXPECT_EQ(r.events.front().instrument, 1u);
  EXPECT_EQ(r.events.front().ts_event, 1'328'054'400'000'000'000);  // 2012-02-01T00:00Z
  EXPECT_EQ(r.events.front().open.raw, 157'597'000);
  // A month of FX: the weekends are gaps (and stale), nothing else is flagged.
  EXPECT_GE(r.flags.by_flag[0], 4u) << flag_summary(r.flags);
  EXPECT_EQ(r.flags.by_flag[1], r.flags.by_flag[0]);
  EXPECT_EQ(r.flags.flagged, r.flags.by_flag[0]) << flag_summary(r.flags);
}

TEST(ReplayRecordings, UnknownSymbolsAreCountedAndSkipped) {
  const fs::path p = captures / "BINANCE_FUTURES.ws.1.0";
  REQUIRE_FILE(p);
  symbol_map m;
  m.add("SUSHI-USDT", 0);
  const auto lines = read_lines(p);
  const auto r = replay_all({{p.string()}}, capture_quality(), m, false);
  const std::size_t sushi = count_lines(lines, "\"s\":\"SUSHIUSDT\"");
  const std::size_t data_lines = lines.size() - 1;  // minus the connection line
  EXPECT_EQ(r.stats.totals.unknown_symbol, data_lines - sushi);
  EXPECT_EQ(r.stats.unknown_symbols.size(), 3u);
  for (const auto& e : r.events)
    EXPECT_EQ(e.instrument, 0u);
}

// ----- doctored copies ------------------------------------------------------------------

TEST(ReplayDoctored, DuplicateReorderedAndMissingTradesAreFlagged) {
  const fs::path p = captures / "BINANCE_FUTURES.ws.1.0";
  REQUIRE_FILE(p);
  auto lines = read_lines(p);
  std::vector<std::size_t> sushi_trades;
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (lines[i].find("\"e\":\"aggTrade\"") != std::string::npos &&
        lines[i].find("SUSHIUSDT") != std::string::npos)
      sushi_trades.push_back(i);
  ASSERT_GE(sushi_trades.size(), 20u);
  temp_dir dir;
  // Duplicate: the 5th trade appears twice.
  auto dup = lines;
  dup.insert(dup.begin() + static_cast<std::ptrdiff_t>(sushi_trades[5]) + 1,
             lines[sushi_trades[5]]);
  const auto rd = replay_all({{dir.write("dup.ws", dup).string()}});
  EXPECT_EQ(rd.flags.by_flag[3], 1u) << flag_summary(rd.flags);  // duplicate
  // Missing: the 10th trade deleted -> the next one skips a trade id.
  auto missing = lines;
  missing.erase(missing.begin() + static_cast<std::ptrdiff_t>(sushi_trades[10]));
  const auto rm = replay_all({{dir.write("missing.ws", missing).string()}});
  EXPECT_EQ(rm.flags.by_flag[9], 1u) << flag_summary(rm.flags);  // sequence gap
  EXPECT_EQ(rm.flags.flagged, 1u);
  // Reordered: trades 15 and 16 swapped -> 16 skips ahead, 15 goes back in time.
  auto swapped = lines;
  std::swap(swapped[sushi_trades[15]], swapped[sushi_trades[16]]);
  const auto rs = replay_all({{dir.write("swapped.ws", swapped).string()}});
  EXPECT_GE(rs.flags.by_flag[2], 1u) << flag_summary(rs.flags);  // out of order
}

TEST(ReplayRecordings, BinanceDepthUpdateIdsRunOnWithoutGaps) {
  // The recordings are gap-free: every depthUpdate's U is the symbol's previous u + 1 (spot)
  // and its pu the previous u (futures), checked independently of the reader by a script.
  for (const char* name : {"BINANCE.ws.1.0", "BINANCE_US.ws.1.0", "BINANCE_FUTURES.ws.1.0"}) {
    const fs::path p = captures / name;
    REQUIRE_FILE(p);
    SCOPED_TRACE(name);
    const auto r = replay_all({{p.string()}});
    std::size_t linked = 0;
    for (const auto& e : r.events)
      if (e.kind == event_kind::book) {
        EXPECT_NE(e.sequence, 0u);
        linked += e.previous_sequence != 0 ? 1u : 0u;
      }
    EXPECT_EQ(linked, r.stats.totals.events[static_cast<std::size_t>(event_kind::book)]);
    EXPECT_GT(linked, 100u);
    EXPECT_EQ(r.flags.by_flag[9], 0u) << flag_summary(r.flags);  // sequence gap
  }
}

TEST(ReplayDoctored, MissingDepthUpdateIsASequenceGap) {
  for (const char* name : {"BINANCE.ws.1.0", "BINANCE_FUTURES.ws.1.0"}) {
    const fs::path p = captures / name;
    REQUIRE_FILE(p);
    SCOPED_TRACE(name);
    const auto lines = read_lines(p);
    // The 10th depthUpdate of the symbol of the first one (it has later updates).
    std::string symbol;
    std::vector<std::size_t> depth;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (lines[i].find("\"e\":\"depthUpdate\"") == std::string::npos)
        continue;
      const std::string s = json_string_after(lines[i], "\"s\":\"");
      if (symbol.empty())
        symbol = s;
      if (s == symbol)
        depth.push_back(i);
    }
    ASSERT_GE(depth.size(), 12u);
    auto missing = lines;
    missing.erase(missing.begin() + static_cast<std::ptrdiff_t>(depth[10]));
    temp_dir dir;
    const auto r = replay_all({{dir.write("missing_depth.ws", missing).string()}});
    EXPECT_EQ(r.flags.by_flag[9], 1u) << flag_summary(r.flags);  // sequence gap
    EXPECT_EQ(r.flags.flagged, 1u) << flag_summary(r.flags);
  }
}

TEST(ReplayDoctored, CrossedQuoteSpikeAndFeedGapAreFlagged) {
  const fs::path p = captures / "BINANCE_FUTURES.ws.1.0";
  REQUIRE_FILE(p);
  auto lines = read_lines(p);
  temp_dir dir;
  // Crossed: swap bid and ask of the 100th bookTicker.
  std::size_t seen = 0;
  auto crossed = lines;
  for (auto& l : crossed) {
    if (l.find("\"e\":\"bookTicker\"") == std::string::npos || ++seen != 100)
      continue;
    const std::string b = json_string_after(l, "\"b\":\"");
    const std::string a = json_string_after(l, "\"a\":\"");
    l.replace(l.find("\"b\":\"" + b + "\""), b.size() + 6, "\"b\":\"" + a + "\"");
    l.replace(l.find("\"a\":\"" + a + "\""), a.size() + 6, "\"a\":\"" + b + "\"");
  }
  const auto rc = replay_all({{dir.write("crossed.ws", crossed).string()}});
  EXPECT_EQ(rc.flags.by_flag[4], 1u) << flag_summary(rc.flags);
  EXPECT_EQ(rc.flags.flagged, 1u);
  // Spike: the 30th SUSHIUSDT trade printed at 3x its price.
  seen = 0;
  auto spike = lines;
  for (auto& l : spike) {
    if (l.find("\"e\":\"aggTrade\"") == std::string::npos ||
        l.find("SUSHIUSDT") == std::string::npos || ++seen != 30)
      continue;
    const std::string px = json_string_after(l, "\"p\":\"");
    std::int64_t raw = 0;
    ASSERT_TRUE(parse_fixed(px, raw));
    l.replace(l.find("\"p\":\"" + px), px.size() + 5,
              "\"p\":\"" + std::to_string(raw * 3 / 100'000'000));
  }
  const auto rj = replay_all({{dir.write("spike.ws", spike).string()}});
  EXPECT_EQ(rj.flags.by_flag[8], 1u) << flag_summary(rj.flags);
  // Gap: drop 12 seconds of lines in the middle; default 5 s gap threshold.
  std::int64_t first = 0;
  ASSERT_TRUE(parse_epoch_seconds(lines[1].substr(0, lines[1].find(':')), first));
  std::vector<std::string> gap;
  for (const auto& l : lines) {
    std::int64_t t = 0;
    const bool timed = parse_epoch_seconds(l.substr(0, l.find(':')), t);
    if (timed && t > first + 10'000'000'000 && t < first + 22'000'000'000)
      continue;
    gap.push_back(l);
  }
  quality_config qc = capture_quality();
  qc.gap_threshold_ns = 5'000'000'000;
  const auto rg = replay_all({{dir.write("gap.ws", gap).string()}}, qc);
  EXPECT_GE(rg.flags.by_flag[0], 1u) << flag_summary(rg.flags);
}

// ----- bad input --------------------------------------------------------------------------

TEST(ReplayBadInput, MalformedLinesAreSkippedAndReportedWithFileAndLine) {
  temp_dir dir;
  std::vector<std::string> lines = {
      "timestamp,price,size", "1700000000,10,1",         "garbage line",
      "1700000001,10.5,2",    std::string(1 << 20, 'x'),  // 1 MiB line
      "1700000002,11,NaN",    "1700000003,11,3",
      "1700000004,1",  // truncated
  };
  const auto p = dir.write("ticks.csv", lines, false);
  symbol_map m;
  m.add("AAA", 0);
  replay_options o;
  replay_source r({{p.string(), feed_format::csv_trades, "AAA"}}, m, o);
  std::vector<market_event> events;
  market_event e;
  while (r.next(e))
    events.push_back(e);
  const auto s = r.stats();
  EXPECT_EQ(events.size(), 3u);
  EXPECT_EQ(s.totals.malformed, 4u);
  ASSERT_EQ(s.first_malformed.size(), 4u);
  EXPECT_EQ(s.first_malformed[0].line, 3u);
  EXPECT_EQ(s.first_malformed[1].line, 5u);
  EXPECT_EQ(s.first_malformed[2].line, 6u);
  EXPECT_EQ(s.first_malformed[3].line, 8u);
  EXPECT_EQ(s.first_malformed[0].file, p.string());
}

TEST(ReplayBadInput, JsonGarbageTruncationAndHugeLinesDoNotCrash) {
  temp_dir dir;
  std::string huge = R"({"stream":"x","data":{"e":"aggTrade","s":"AAAUSDT","pad":")";
  huge += std::string(1 << 20, 'y');
  huge += R"(","a":1,"p":"1","q":"1","T":1700000000000,"m":true}})";
  std::vector<std::string> lines = {
      R"(1700000000.0: {"stream":"x","data":{"e":"aggTrade","s":"AAAUSDT","a":1,"p":"1.5","q":"2","T":1700000000000,"m":true}})",
      huge,
      std::string("\x7f\x45\x4c\x46 not json"),
      R"(1700000000.1: {"stream":"x","data":{"e":"aggTrade","s":"AAAUSDT","a":2,"p":"1.6","q":"2","T":1700000000100,"m":true}})",
      R"(1700000000.2: {"stream":"x","data":{"e":"aggTr)",
  };
  const auto p = dir.write("trunc.binance", lines, false);
  symbol_map m;
  m.add("AAAUSDT", 0);
  replay_source r({{p.string(), feed_format::binance, {}}}, m);
  std::vector<market_event> events;
  market_event e;
  while (r.next(e))
    events.push_back(e);
  const auto s = r.stats();
  EXPECT_EQ(events.size(), 3u);  // the 1 MiB line is a valid trade
  EXPECT_EQ(s.totals.malformed, 2u);
  EXPECT_EQ(s.totals.lines, 5u);
}

TEST(ReplayBadInput, UnusableFilesThrowAtOpenNamingTheFile) {
  temp_dir dir;
  symbol_map m;
  m.add("AAA", 0);
  auto expect_error = [&](const fs::path& p, const char* what) {
    try {
      replay_source r({{p.string()}}, m);
      ADD_FAILURE() << "no error for " << what;
    } catch (const replay_error& e) {
      EXPECT_NE(std::string(e.what()).find(p.string()), std::string::npos) << e.what();
    }
  };
  expect_error(dir.path / "missing.csv", "missing");
  expect_error(dir.write("empty.csv", {}, false), "empty");
  expect_error(dir.path, "directory");
  {
    std::ofstream out(dir.path / "blob.bin", std::ios::binary);
    const char bytes[] = {'\x7f', 'E', 'L', 'F', '\0', '\1', '\2'};
    out.write(bytes, sizeof bytes);
  }
  expect_error(dir.path / "blob.bin", "binary");
  expect_error(dir.write("mystery.dat", {"hello world"}), "unknown format");
  EXPECT_THROW(replay_source({}, m), replay_error);
  EXPECT_THROW(
      replay_source({{dir.write("a.csv", {"1,2,3"}).string(), feed_format::csv_trades, "ZZZ"}}, m),
      replay_error);
}

TEST(ReplayMerge, FilesAreMergedInEventTimeOrder) {
  temp_dir dir;
  const auto a = dir.write(
      "a.csv", {"ts,price,size", "1700000000.0,1,1", "1700000000.2,1,1", "1700000000.4,1,1"});
  const auto b = dir.write(
      "b.csv", {"ts,price,size", "1700000000.1,2,1", "1700000000.2,2,1", "1700000000.5,2,1"});
  symbol_map m;
  m.add("AAA", 0);
  m.add("BBB", 1);
  replay_source r(
      {{a.string(), feed_format::unknown, "AAA"}, {b.string(), feed_format::unknown, "BBB"}}, m);
  std::vector<market_event> events;
  market_event e;
  while (r.next(e))
    events.push_back(e);
  ASSERT_EQ(events.size(), 6u);
  const instrument_id want[] = {0, 1, 0, 1, 0, 1};  // tie at .2: file order
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].instrument, want[i]) << i;
    if (i > 0) {
      EXPECT_LE(events[i - 1].ts_event, events[i].ts_event);
    }
  }
  EXPECT_EQ(r.format(0), feed_format::csv_trades);
}

TEST(ReplayMerge, ReplayNeverWaitsForEventTime) {
  // Pacing belongs to the drivers: an hour of event time comes back at once.
  temp_dir dir;
  const auto a = dir.write("a.csv", {"1700000000,1,1", "1700001800,1,1", "1700003600,1,1"});
  symbol_map m;
  m.add("AAA", 0);
  replay_source r({{a.string(), feed_format::csv_trades, {}}}, m);
  const auto start = std::chrono::steady_clock::now();
  market_event e;
  int n = 0;
  while (r.next(e))
    ++n;
  EXPECT_EQ(n, 3);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(ReplaySpeed, AcceptsMaxAndPositiveMultiples) {
  const std::pair<const char*, double> good[] = {
      {"max", 0.0}, {"1x", 1.0},   {"10x", 10.0},    {"0.5x", 0.5},
      {"2X", 2.0},  {"1.25x", 1.25}, {"100000x", 1e5}, {"0.000001x", 1e-6}};
  for (const auto& [text, want] : good) {
    double s = -1;
    EXPECT_TRUE(parse_speed(text, s)) << text;
    EXPECT_EQ(s, want) << text;
  }
}

TEST(ReplaySpeed, RejectsEverythingElseWithoutTouchingTheResult) {
  const char* bad[] = {"",     "1",    "10",   "0",     "abc",  "nan",  "nanx", "inf",
                       "infx", "-1x",  "+2x",  "0x",    "0.0x", "x",    "fast", "FAST",
                       "Max",  " 1x",  "1x ",  "1 x",   "1e3x", ".5x",  "1.x5", "1..5x",
                       "0.0000001x", "99999999999999999999x", "1xx", "0x1x"};
  for (const char* text : bad) {
    double s = -1;
    EXPECT_FALSE(parse_speed(text, s)) << '"' << text << '"';
    EXPECT_EQ(s, -1) << text;
  }
}

}  // namespace
}  // namespace peak::marketdata
