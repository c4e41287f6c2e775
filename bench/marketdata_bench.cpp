// Market-data benchmarks: feed readers over the real captures next to a plain simdjson
// on-demand pass over the same bytes (the practical limit), the synthetic feed and the
// quality checker. Figures and the command: bench/README.md.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "marketdata/feed_reader.hpp"
#include "marketdata/json_pass.hpp"
#include "marketdata/quality_checker.hpp"
#include "marketdata/synthetic_feed.hpp"

namespace {

using namespace peak;
using namespace peak::marketdata;

/// Lines of a file in one padded buffer (each line can be parsed in place).
struct corpus {
  std::string name;
  feed_format format = feed_format::unknown;
  std::unique_ptr<char[]> buffer;
  std::size_t size = 0;
  std::vector<std::string_view> lines;
  std::size_t bytes = 0;
};

corpus load(const std::string& name, feed_format format, const char* only = nullptr,
            const char* only2 = nullptr) {
  corpus c;
  c.name = name;
  c.format = format;
  const std::string path = std::string(PEAK_SHARED_DATA_DIR) + "/exchange-captures/" + name;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr)
    return c;
  std::string all;
  char chunk[65536];
  for (std::size_t got; (got = std::fread(chunk, 1, sizeof chunk, f)) > 0;)
    all.append(chunk, got);
  std::fclose(f);
  c.buffer = std::make_unique<char[]>(all.size() + feed_reader::padding);
  std::memcpy(c.buffer.get(), all.data(), all.size());
  std::memset(c.buffer.get() + all.size(), 0, feed_reader::padding);
  c.size = all.size();
  std::size_t start = 0;
  while (start < c.size) {
    const char* nl =
        static_cast<const char*>(std::memchr(c.buffer.get() + start, '\n', c.size - start));
    const std::size_t end = nl ? static_cast<std::size_t>(nl - c.buffer.get()) : c.size;
    std::string_view line(c.buffer.get() + start, end - start);
    const bool keep = only == nullptr || line.find(only) != std::string_view::npos ||
                      (only2 != nullptr && line.find(only2) != std::string_view::npos);
    if (keep && !line.empty()) {
      c.lines.push_back(line);
      c.bytes += line.size();
    }
    start = end + 1;
  }
  return c;
}

const corpus& corpus_for(int which) {
  static const corpus all[] = {
      load("BINANCE_FUTURES.ws.1.0", feed_format::binance),
      load("COINBASE.ws.28.0", feed_format::coinbase),
      load("KRAKEN.ws.50.0", feed_format::kraken),
      load("BITSTAMP.ws.1.0", feed_format::bitstamp),
      // Trade and best-bid/offer messages only.
      load("BINANCE_FUTURES.ws.1.0", feed_format::binance, "\"e\":\"aggTrade\"",
           "\"e\":\"bookTicker\""),
      load("COINBASE.ws.28.0", feed_format::coinbase, "\"type\":\"match\"", "\"type\":\"ticker\""),
  };
  return all[which];
}

const char* corpus_label(int which) {
  static const char* labels[] = {"binance_futures", "coinbase",          "kraken_book",
                                 "bitstamp",        "binance_trade_bbo", "coinbase_trade_bbo"};
  return labels[which];
}

void BM_FeedReader(benchmark::State& state) {
  const corpus& c = corpus_for(static_cast<int>(state.range(0)));
  state.SetLabel(std::string(corpus_label(static_cast<int>(state.range(0)))) +
                 " simdjson:" + json_pass::implementation());
  if (c.lines.empty()) {
    state.SkipWithError("capture not available");
    return;
  }
  symbol_map symbols;
  reader_options o;
  o.auto_add_symbols = true;
  feed_reader reader(c.format, symbols, o);
  std::vector<market_event> out;
  out.reserve(4096);
  std::uint64_t messages = 0;
  for (auto _ : state) {
    for (std::string_view line : c.lines) {
      out.clear();
      messages += reader.parse_line(line.data(), line.size(), out) == line_status::data ? 1u : 0u;
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(messages));
  state.SetBytesProcessed(static_cast<std::int64_t>(c.bytes) * state.iterations());
}

void BM_SimdjsonOnDemandPass(benchmark::State& state) {
  const corpus& c = corpus_for(static_cast<int>(state.range(0)));
  state.SetLabel(corpus_label(static_cast<int>(state.range(0))));
  if (c.lines.empty()) {
    state.SkipWithError("capture not available");
    return;
  }
  json_pass pass;
  std::uint64_t sink = 0;
  std::uint64_t lines = 0;
  for (auto _ : state) {
    for (std::string_view line : c.lines)
      sink += pass.walk_line(line.data(), line.size());
    lines += c.lines.size();
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(static_cast<std::int64_t>(lines));
  state.SetBytesProcessed(static_cast<std::int64_t>(c.bytes) * state.iterations());
}

BENCHMARK(BM_FeedReader)->DenseRange(0, 5);
BENCHMARK(BM_SimdjsonOnDemandPass)->DenseRange(0, 5);

void BM_SyntheticFeed(benchmark::State& state) {
  synthetic_config c;
  c.events = ~0ull;
  c.instruments = static_cast<std::uint32_t>(state.range(0));
  synthetic_feed feed(c, 42);
  market_event e;
  for (auto _ : state) {
    benchmark::DoNotOptimize(feed.next(e));
    benchmark::DoNotOptimize(e.px.raw);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SyntheticFeed)->Arg(1)->Arg(8);

void BM_QualityChecker(benchmark::State& state) {
  synthetic_config c;
  c.events = 1 << 16;
  c.instruments = 4;
  synthetic_feed feed(c, 7);
  std::vector<market_event> events;
  market_event e;
  while (feed.next(e))
    events.push_back(e);
  quality_checker q(quality_config{}, 4);
  std::size_t i = 0;
  timestamp_ns shift = 0;
  const timestamp_ns span = events.back().ts_event - events.front().ts_event + 1;
  for (auto _ : state) {
    market_event ev = events[i];
    ev.ts_event += shift;  // keep time moving forward across laps
    q.check(ev);
    benchmark::DoNotOptimize(ev.quality);
    if (++i == events.size()) {
      i = 0;
      shift += span;
      q.reset_state();
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_QualityChecker);

}  // namespace

BENCHMARK_MAIN();
