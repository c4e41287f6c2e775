#pragma once
/// Helpers shared by the evidence tests: a scratch directory and a small complete pack.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "evidence/evidence_pack.hpp"

namespace peak::evidence::testing {

/// A fresh, empty directory under the system temp dir.
inline std::filesystem::path scratch_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / "peak_evidence_tests" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

/// A request with a fixed git state and no index (tests set index_run themselves).
inline pack_request sample_request(const std::filesystem::path& root, std::uint64_t seed = 7) {
  const auto input = root / "input.csv";
  if (!std::filesystem::exists(input))
    write_file(input, "ts,price\n1,100\n2,101\n");
  pack_request r;
  r.runs_root = root / "runs";
  r.mode = "paper";
  r.seed = seed;
  r.config_text =
      "[session]\nmode = \"paper\"\n[broker]\napi_key = \"abcdEFGH1234abcdEFGH1234abcdEFGH\"\n";
  r.config_path = "configs/paper.toml";
  r.inputs = {{"market_data", input}};
  r.run_reason = "unit test";
  r.operator_id = "tester";
  r.session_json = "\"instruments\":[\"BTCUSDT\"]";
  r.git = git_info{"0123456789abcdef0123456789abcdef01234567", false, true};
  r.index_run = false;
  r.wall_clock_start_ns = 1'700'000'000'000'000'000;
  return r;
}

/// Writes a complete pack with a few decisions; returns its directory.
inline std::filesystem::path write_sample_pack(const pack_request& request,
                                               std::int64_t wall_clock_end_offset = 5) {
  evidence_pack_writer pack(request);
  for (int i = 0; i < 5; ++i) {
    const std::string fields = "\"intent_id\":" + std::to_string(i);
    (void)pack.audit().append("hypothesis", 1'000 + i, fields);
  }
  pack_outputs out;
  out.metrics_json = "{\"final_equity\":1000.5,\"trades\":2,\"wall_clock\":{\"elapsed_ns\":" +
                     std::to_string(wall_clock_end_offset) + "}}";
  out.equity_csv = "ts_event,equity\n1000,1000\n1004,1000.5\n";
  out.trades_csv = "seq,ts_event,side\n1,1001,buy\n2,1003,sell\n";
  out.orders_csv = "client_order_id,state\n1,filled\n2,filled\n";
  out.wall_clock_end_ns = request.wall_clock_start_ns + wall_clock_end_offset;
  out.wall_clock_json = "\"tick_to_order_p99_ns\":" + std::to_string(wall_clock_end_offset * 3);
  return pack.finalize(out).directory;
}

}  // namespace peak::evidence::testing
