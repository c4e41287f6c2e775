/// Evidence benchmarks: SHA-256 throughput (hardware and portable paths), audit-log append
/// cost per decision record, audit verification per record, and redaction per log line.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "evidence/audit_log.hpp"
#include "evidence/redaction.hpp"
#include "evidence/sha256.hpp"

namespace {

namespace ev = peak::evidence;

std::string payload(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i)
    s[i] = static_cast<char>((i * 131u + 7u) & 0xFFu);
  return s;
}

void BM_Sha256(benchmark::State& state) {
  const std::string data = payload(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto d = ev::sha256::hash(data);
    benchmark::DoNotOptimize(d);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
  state.SetLabel(ev::sha256_uses_hardware() ? "libcrypto, sha-ni" : "libcrypto");
}
BENCHMARK(BM_Sha256)->Arg(64)->Arg(256)->Arg(4096)->Arg(1 << 20);


/// A typical decision record's fields (risk decision, ~110 bytes).
constexpr std::string_view typical_fields =
    "\"intent_id\":123456,\"strategy\":2,\"instrument\":0,\"side\":\"buy\",\"qty\":\"0.01000000\","
    "\"reason\":\"max_order_notional\"";

void BM_AuditAppend(benchmark::State& state) {
  const auto path = std::filesystem::temp_directory_path() / "peak_evidence_bench_audit.jsonl";
  std::int64_t ts = 1'700'000'000'000'000'000;
  {
    ev::audit_log_writer writer(path);
    for (auto _ : state) {
      auto ec = writer.append("risk_denied", ++ts, typical_fields);
      benchmark::DoNotOptimize(ec);
    }
    (void)writer.close();
  }
  std::filesystem::remove(path);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_AuditAppend);

void BM_AuditVerify(benchmark::State& state) {
  const auto path = std::filesystem::temp_directory_path() / "peak_evidence_bench_verify.jsonl";
  const auto records = state.range(0);
  {
    ev::audit_log_writer writer(path);
    for (std::int64_t i = 0; i < records; ++i)
      (void)writer.append("risk_denied", i, typical_fields);
    (void)writer.close();
  }
  for (auto _ : state) {
    auto r = ev::verify_audit_log(path);
    benchmark::DoNotOptimize(r);
  }
  std::filesystem::remove(path);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * records);
}
BENCHMARK(BM_AuditVerify)->Arg(10'000);

void BM_RedactLogLine(benchmark::State& state) {
  const std::string line =
      "2026-11-23T20:44:22Z INFO broker connected venue=127.0.0.1:9443 api_key=AbCdEf0123456789 "
      "order 12 filled qty=0.5 px=101.25 token=\"vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgw\"";
  for (auto _ : state) {
    auto r = ev::redact_secrets(line);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(line.size()));
}
BENCHMARK(BM_RedactLogLine);

}  // namespace

BENCHMARK_MAIN();
