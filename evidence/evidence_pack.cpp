#include "evidence/evidence_pack.hpp"

#include <simdjson.h>
#include <sqlite3.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>

#include "evidence/evidence_index.hpp"
#include "evidence/json.hpp"
#include "evidence/pack_digest.hpp"
#include "evidence/redaction.hpp"
#include "evidence/sha256.hpp"
#include "messages/fixed_text.hpp"

#ifndef PEAK_EVIDENCE_SOURCE_DIR
#define PEAK_EVIDENCE_SOURCE_DIR "."
#endif
#ifndef PEAK_EVIDENCE_VERSION
#define PEAK_EVIDENCE_VERSION "0.0.0"
#endif
#ifndef PEAK_EVIDENCE_BUILD_TYPE
#define PEAK_EVIDENCE_BUILD_TYPE "unknown"
#endif

namespace peak::evidence {
namespace fs = std::filesystem;

const std::vector<std::string_view>& required_pack_files() {
  static const std::vector<std::string_view> files = {
      pack_file::run_manifest, pack_file::config_snapshot, pack_file::metrics,  pack_file::equity,
      pack_file::trades,       pack_file::orders,          pack_file::audit_log};
  return files;
}

const std::vector<std::string>& run_manifest_context_keys() {
  static const std::vector<std::string> keys = {
      "pack_id",   "run_id",  "wall_clock", "git",         "tool",
      "libraries", "machine", "run_reason", "operator_id", "path"};
  return keys;
}

const std::vector<std::string>& wall_clock_keys() {
  static const std::vector<std::string> keys = {"wall_clock"};
  return keys;
}

namespace {

/// Runs a command and returns its stdout (trimmed); false if it failed.
bool run_command(const std::string& command, std::string& out) {
  out.clear();
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr)
    return false;
  char buffer[256];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
    out.append(buffer, got);
  const int status = ::pclose(pipe);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r' || out.back() == ' '))
    out.pop_back();
  return status == 0;
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (const char c : s) {
    if (c == '\'')
      q += "'\\''";
    else
      q += c;
  }
  q += '\'';
  return q;
}

void write_text(const fs::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out)
    throw std::runtime_error("cannot create " + path.string());
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.flush();
  if (!out)
    throw std::runtime_error("cannot write " + path.string());
}

std::string read_first_line_with(const fs::path& path, std::string_view prefix) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) {
        std::string v = line.substr(colon + 1);
        while (!v.empty() && v.front() == ' ')
          v.erase(0, 1);
        return v;
      }
    }
  }
  return "unknown";
}

bool valid_mode(std::string_view mode) {
  return mode == "shadow" || mode == "paper" || mode == "live";
}

bool plain_file_name(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos &&
         name.find('\\') == std::string_view::npos && name != pack_file::manifest;
}

}  // namespace

fs::path build_source_dir() {
  return fs::path(PEAK_EVIDENCE_SOURCE_DIR);
}

git_info probe_git(const fs::path& dir) {
  git_info info;
  std::string out;
  const std::string base = "git -C " + shell_quote(dir.string()) + " ";
  if (!run_command(base + "rev-parse HEAD 2>/dev/null", out) || out.size() < 40)
    return info;
  info.commit = out;
  info.available = true;
  if (run_command(base + "status --porcelain --untracked-files=no 2>/dev/null", out))
    info.dirty = !out.empty();
  return info;
}

std::string make_run_key(std::string_view mode, std::string_view config_hash,
                         const std::vector<std::string>& input_sha256, std::uint64_t seed) {
  sha256 h;
  h.update("peak.run_key.v1\n");
  h.update(mode);
  h.update("\n");
  h.update(config_hash);
  h.update("\n");
  for (const auto& s : input_sha256) {
    h.update(s);
    h.update("\n");
  }
  h.update(std::to_string(seed));
  const std::string hex = to_hex(h.finish());
  return std::string(mode) + "-" + hex.substr(0, 16);
}

std::string format_utc(timestamp_ns ts) {
  return text::utc_text(ts);
}

evidence_pack_writer::evidence_pack_writer(pack_request request) : request_(std::move(request)) {
  if (!valid_mode(request_.mode))
    throw std::invalid_argument("evidence pack: mode must be shadow, paper or live, not '" +
                                request_.mode + "'");
  if (request_.run_reason.empty())
    throw std::invalid_argument("evidence pack: run_reason is required (why was this run made?)");
  if (request_.operator_id.empty())
    throw std::invalid_argument("evidence pack: operator_id is required (who started the run?)");
  if (!request_.session_json.empty() && !json_is_valid("{" + request_.session_json + "}"))
    throw std::invalid_argument("evidence pack: session_json is not valid JSON members");

  // Inputs first: a missing input is a start-up error, before any directory is created.
  std::vector<std::string> input_hashes;
  for (const auto& in : request_.inputs) {
    std::error_code ec;
    const file_hash h = hash_file(in.path, ec);
    if (ec)
      throw std::runtime_error("evidence pack: cannot hash input '" + in.role + "' " +
                               in.path.string() + ": " + ec.message());
    inputs_.push_back({in.role, in.path.string(), h.sha256_hex, h.size});
    input_hashes.push_back(in.role + ":" + h.sha256_hex);
  }

  const redaction_result redacted = redact_secrets(request_.config_text);
  config_redactions_ = redacted.redactions;
  config_hash_ = sha256::hash_hex(redacted.text);
  git_ = request_.git
             ? *request_.git
             : probe_git(request_.source_dir.empty() ? build_source_dir() : request_.source_dir);

  run_key_ = make_run_key(request_.mode, config_hash_, input_hashes, request_.seed);
  std::error_code ec;
  fs::create_directories(request_.runs_root, ec);
  if (ec)
    throw std::runtime_error("evidence pack: cannot create " + request_.runs_root.string() + ": " +
                             ec.message());
  for (int n = 1;; ++n) {
    run_id_ = n == 1 ? run_key_ : run_key_ + "-" + std::to_string(n);
    dir_ = request_.runs_root / run_id_;
    if (fs::create_directory(dir_, ec))
      break;
    if (ec)
      throw std::runtime_error("evidence pack: cannot create " + dir_.string() + ": " +
                               ec.message());
    if (n > 100000)
      throw std::runtime_error("evidence pack: too many runs with key " + run_key_);
  }
  write_text(dir_ / pack_file::config_snapshot, redacted.text);
  audit_ = audit_log_writer(dir_ / pack_file::audit_log, request_.audit_buffer_bytes);
}

void evidence_pack_writer::add_file(std::string_view name, std::string_view contents) {
  if (!plain_file_name(name))
    throw std::invalid_argument("evidence pack: '" + std::string(name) +
                                "' is not a plain file name");
  write_text(dir_ / std::string(name), contents);
}

pack_summary evidence_pack_writer::finalize(const pack_outputs& outputs) {
  if (finalized_)
    throw std::logic_error("evidence pack: finalize() called twice");
  finalized_ = true;

  const std::pair<std::string_view, const std::optional<std::string>*> produced[] = {
      {pack_file::metrics, &outputs.metrics_json},
      {pack_file::equity, &outputs.equity_csv},
      {pack_file::trades, &outputs.trades_csv},
      {pack_file::orders, &outputs.orders_csv}};
  for (const auto& [name, content] : produced) {
    const fs::path p = dir_ / std::string(name);
    if (content->has_value())
      write_text(p, **content);
    else if (!fs::exists(p))
      throw std::runtime_error("evidence pack: " + p.string() +
                               " was neither given nor written by the caller");
  }
  {
    std::ifstream in(dir_ / pack_file::metrics, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    std::string error;
    if (!json_is_valid(s.str(), &error))
      throw std::runtime_error("evidence pack: metrics.json is not valid JSON: " + error);
  }
  if (!outputs.wall_clock_json.empty() && !json_is_valid("{" + outputs.wall_clock_json + "}"))
    throw std::invalid_argument("evidence pack: wall_clock_json is not valid JSON members");

  const std::error_code audit_ec = audit_.close();
  if (audit_ec)
    throw std::runtime_error("evidence pack: closing the audit log failed: " + audit_ec.message());
  const std::uint64_t audit_records = audit_.records();
  const std::string audit_head(audit_.head_hash());

  // run_manifest.json
  const std::string started = format_utc(request_.wall_clock_start_ns);
  const std::string finished = format_utc(outputs.wall_clock_end_ns);
  json_writer w(true);
  w.begin_object();
  w.member("schema", "peak.evidence_pack.run_manifest");
  w.member("schema_version", pack_schema_version);
  w.member("pack_id", run_id_);
  w.member("run_id", run_id_);
  w.member("run_base_id", run_key_);
  w.member("mode", request_.mode);
  w.member("status", outputs.status);
  w.member("seed", request_.seed);
  w.member("config_hash", config_hash_);
  w.key("config").begin_object();
  w.member("path", redact_secrets(request_.config_path).text);
  w.member("snapshot", pack_file::config_snapshot);
  w.member("redactions", static_cast<std::uint64_t>(config_redactions_));
  w.end_object();
  w.key("inputs").begin_array();
  for (const auto& in : inputs_) {
    w.begin_object();
    w.member("role", in.role);
    w.member("path", redact_secrets(in.path).text);
    w.member("size", in.size);
    w.member("sha256", in.sha256);
    w.end_object();
  }
  w.end_array();
  w.key("session").begin_object().raw_members(request_.session_json).end_object();
  w.key("audit").begin_object();
  w.member("file", pack_file::audit_log);
  w.member("records", audit_records);
  w.member("head_hash", audit_head);
  w.end_object();
  w.member("run_reason", redact_secrets(request_.run_reason).text);
  w.member("operator_id", redact_secrets(request_.operator_id).text);
  w.key("git").begin_object();
  w.member("commit", git_.commit);
  w.member("dirty", git_.dirty);
  w.member("available", git_.available);
  w.end_object();
  w.key("tool").begin_object();
  w.member("name", "peak");
  w.member("version", PEAK_EVIDENCE_VERSION);
  w.member("compiler", std::string("g++ ") + __VERSION__);
  w.member("build_type", PEAK_EVIDENCE_BUILD_TYPE);
  w.member("cxx_standard", static_cast<std::int64_t>(__cplusplus));
  w.member("sha256_hardware", sha256_uses_hardware());
  w.end_object();
  w.key("libraries").begin_array();
  const std::vector<library_version> own = {
      {"simdjson", std::to_string(simdjson::SIMDJSON_VERSION_MAJOR) + "." +
                       std::to_string(simdjson::SIMDJSON_VERSION_MINOR) + "." +
                       std::to_string(simdjson::SIMDJSON_VERSION_REVISION)},
      {"sqlite", sqlite3_libversion()}};
  for (const std::vector<library_version>* list : {&own, &std::as_const(request_.libraries)}) {
    for (const auto& lib : *list) {
      w.begin_object();
      w.member("name", lib.name);
      w.member("version", lib.version);
      w.end_object();
    }
  }
  w.end_array();
  w.key("machine").begin_object();
  {
    utsname u{};
    const bool have_uname = ::uname(&u) == 0;
    w.member("hostname", have_uname ? u.nodename : "unknown");
    w.member("os", have_uname ? u.sysname : "unknown");
    w.member("kernel", have_uname ? u.release : "unknown");
    w.member("arch", have_uname ? u.machine : "unknown");
    w.member("cpu_model", read_first_line_with("/proc/cpuinfo", "model name"));
    w.member("logical_cpus", static_cast<std::uint64_t>(std::thread::hardware_concurrency()));
  }
  w.end_object();
  w.key("wall_clock").begin_object();
  w.member("note", "wall-clock values: excluded from the determinism comparison");
  w.member("started_at_utc", started);
  w.member("finished_at_utc", finished);
  w.member("elapsed_ns", outputs.wall_clock_end_ns - request_.wall_clock_start_ns);
  w.raw_members(outputs.wall_clock_json);
  w.end_object();
  w.end_object();
  const std::string run_manifest = w.finish();
  write_text(dir_ / pack_file::run_manifest, run_manifest);

  // manifest.json: every file but itself, sorted by name.
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    const std::string name = entry.path().filename().string();
    if (name != pack_file::manifest)
      names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  std::string error;
  std::string digest;
  if (!determinism_digest(dir_, names, digest, error))
    throw std::runtime_error("evidence pack: " + error);
  json_writer m(true);
  m.begin_object();
  m.member("schema", "peak.evidence_pack.manifest");
  m.member("schema_version", pack_schema_version);
  m.member("pack_id", run_id_);
  m.key("files").begin_array();
  for (const auto& name : names) {
    std::error_code ec;
    const file_hash h = hash_file(dir_ / name, ec);
    if (ec)
      throw std::runtime_error("evidence pack: cannot hash " + (dir_ / name).string());
    m.begin_object();
    m.member("path", name);
    m.member("size", h.size);
    m.member("sha256", h.sha256_hex);
    m.end_object();
  }
  m.end_array();
  m.key("audit").begin_object();
  m.member("file", pack_file::audit_log);
  m.member("records", audit_records);
  m.member("head_hash", audit_head);
  m.end_object();
  m.member("determinism_digest", digest);
  m.end_object();
  const std::string manifest = m.finish();
  write_text(dir_ / pack_file::manifest, manifest);

  pack_summary summary;
  summary.run_id = run_id_;
  summary.directory = dir_;
  summary.manifest_sha256 = sha256::hash_hex(manifest);
  summary.determinism_digest = digest;
  summary.audit_records = audit_records;

  if (request_.index_run) {
    evidence_index_entry e;
    e.run_id = run_id_;
    e.pack_path = dir_.string();
    e.mode = request_.mode;
    e.status = outputs.status;
    e.config_hash = config_hash_;
    e.seed = request_.seed;
    e.git_commit = git_.commit;
    e.git_dirty = git_.dirty;
    e.run_reason = redact_secrets(request_.run_reason).text;
    e.operator_id = redact_secrets(request_.operator_id).text;
    e.started_at_utc = started;
    e.finished_at_utc = finished;
    e.manifest_sha256 = summary.manifest_sha256;
    e.determinism_digest = digest;
    e.audit_records = audit_records;
    const fs::path registry = request_.registry_path.empty()
                                  ? request_.runs_root / "registry.sqlite"
                                  : request_.registry_path;
    std::string index_error;
    if (!index_append(registry, e, index_error))
      summary.index_error = index_error;
  }
  return summary;
}

}  // namespace peak::evidence
