// Cost of the session metrics on the hot path (counter, gauge, histogram) and of a scrape
// (collect the families, render the text exposition, and a full HTTP GET /metrics).
#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "observability/metrics_exposer.hpp"
#include "observability/prometheus_exposition.hpp"
#include "observability/redaction.hpp"
#include "observability/session_metrics.hpp"

namespace {

using namespace peak::observability;

session_metrics& shared_metrics() {
  static session_metrics m({"BTCUSDT", "ETHUSDT", "SOLUSDT"},
                           {"momentum#0", "mean_reversion#1", "breakout#2"});
  return m;
}

void BM_CounterInc(benchmark::State& state) {
  auto& c = shared_metrics().orders_submitted;
  for (auto _ : state) {
    c.inc();
  }
  benchmark::DoNotOptimize(c.value());
}
BENCHMARK(BM_CounterInc);
BENCHMARK(BM_CounterInc)->Threads(2);  // two stages bumping the same counter

void BM_GaugeSet(benchmark::State& state) {
  auto& g = shared_metrics().pnl;
  double v = 0.0;
  for (auto _ : state) {
    g.set(v);
    v += 0.5;
  }
  benchmark::DoNotOptimize(g.value());
}
BENCHMARK(BM_GaugeSet);

void BM_HistogramObserve(benchmark::State& state) {
  auto& h = shared_metrics().tick_to_order;
  // latencies spread over the buckets (150 ns .. ~20 ms), cycled
  std::array<std::int64_t, 16> values{};
  std::int64_t v = 150;
  for (auto& x : values) {
    x = v;
    v = v * 9 / 4;
  }
  std::size_t i = 0;
  for (auto _ : state) {
    h.observe_ns(values[i]);
    i = (i + 1) & 15;
  }
  benchmark::DoNotOptimize(h.count());
}
BENCHMARK(BM_HistogramObserve);
BENCHMARK(BM_HistogramObserve)->Threads(2);

void BM_CollectFamilies(benchmark::State& state) {
  const auto labels = session_identity("s-bench", "paper");
  for (auto _ : state) {
    auto families = collect_families(shared_metrics(), labels);
    benchmark::DoNotOptimize(families.data());
  }
}
BENCHMARK(BM_CollectFamilies)->Unit(benchmark::kMicrosecond);

void BM_RenderText(benchmark::State& state) {
  const auto labels = session_identity("s-bench", "paper");
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string text = render_text(shared_metrics(), labels);
    bytes = text.size();
    benchmark::DoNotOptimize(text.data());
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_RenderText)->Unit(benchmark::kMicrosecond);

/// One HTTP/1.0 GET /metrics on loopback, read to the end.
std::size_t scrape_once(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::size_t total = 0;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) {
    const char request[] = "GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    if (::send(fd, request, sizeof request - 1, 0) > 0) {
      char buf[16384];
      for (auto n = ::recv(fd, buf, sizeof buf, 0); n > 0; n = ::recv(fd, buf, sizeof buf, 0)) {
        total += static_cast<std::size_t>(n);
      }
    }
  }
  ::close(fd);
  return total;
}

void BM_HttpScrape(benchmark::State& state) {
  metrics_exposer exposer("127.0.0.1", 0, shared_metrics(), session_identity("s-bench", "paper"));
  std::size_t bytes = 0;
  for (auto _ : state) {
    bytes = scrape_once(exposer.port());
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_HttpScrape)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_RedactLogLine(benchmark::State& state) {
  const std::string line =
      "event=order_filled id=42 side=buy qty=0.5 px=30123.5 session_id=s-1 api_key=abc123";
  for (auto _ : state) {
    auto out = redact(line);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_RedactLogLine);

}  // namespace

BENCHMARK_MAIN();
