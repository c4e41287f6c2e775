#include "evidence/audit_log.hpp"

#include <simdjson.h>
#include <unistd.h>

#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include "evidence/json.hpp"
#include "evidence/sha256.hpp"

namespace peak::evidence {
namespace {

class audit_category_impl final : public std::error_category {
public:
  const char* name() const noexcept override { return "peak.audit_log"; }
  std::string message(int code) const override {
    switch (static_cast<audit_errc>(code)) {
      case audit_errc::ok:
        return "ok";
      case audit_errc::not_open:
        return "audit log is not open (or already closed)";
      case audit_errc::write_failed:
        return "writing the audit log failed";
      case audit_errc::bad_type:
        return "audit record type is empty or reserved";
    }
    return "unknown audit log error";
  }
};

constexpr std::string_view hash_marker = ",\"hash\":\"";

}  // namespace

const std::error_category& audit_category() noexcept {
  static const audit_category_impl category;
  return category;
}

std::error_code make_error_code(audit_errc e) noexcept {
  return {static_cast<int>(e), audit_category()};
}

audit_log_writer::audit_log_writer(const std::filesystem::path& path, std::size_t buffer_bytes)
    : path_(path), buffer_limit_(buffer_bytes == 0 ? 1 : buffer_bytes) {
  file_ = std::fopen(path.c_str(), "wb");
  if (file_ == nullptr)
    throw std::system_error(errno, std::generic_category(),
                            "cannot create audit log " + path.string());
  std::setvbuf(file_, nullptr, _IONBF, 0);  // we buffer ourselves
  buffer_.reserve(buffer_limit_ + 1024);
  std::memcpy(head_hash_, audit_genesis_hash.data(), 64);
}

audit_log_writer::~audit_log_writer() {
  if (file_ != nullptr) {
    (void)drain();
    std::fclose(file_);
  }
}

audit_log_writer::audit_log_writer(audit_log_writer&& other) noexcept
    : path_(std::move(other.path_)),
      file_(other.file_),
      buffer_(std::move(other.buffer_)),
      buffer_limit_(other.buffer_limit_),
      next_seq_(other.next_seq_),
      last_ts_(other.last_ts_),
      closed_(other.closed_),
      failed_(other.failed_) {
  std::memcpy(head_hash_, other.head_hash_, 64);
  other.file_ = nullptr;
}

audit_log_writer& audit_log_writer::operator=(audit_log_writer&& other) noexcept {
  if (this != &other) {
    if (file_ != nullptr) {
      (void)drain();
      std::fclose(file_);
    }
    path_ = std::move(other.path_);
    file_ = other.file_;
    buffer_ = std::move(other.buffer_);
    buffer_limit_ = other.buffer_limit_;
    next_seq_ = other.next_seq_;
    last_ts_ = other.last_ts_;
    closed_ = other.closed_;
    failed_ = other.failed_;
    std::memcpy(head_hash_, other.head_hash_, 64);
    other.file_ = nullptr;
  }
  return *this;
}

std::error_code audit_log_writer::write_record(std::string_view type, timestamp_ns ts_event,
                                               std::string_view fields_json) noexcept {
  try {
    const std::size_t start = buffer_.size();
    buffer_ += "{\"seq\":";
    append_uint(buffer_, next_seq_);
    buffer_ += ",\"type\":\"";
    json_escape_to(buffer_, type);
    buffer_ += "\",\"ts_event\":";
    append_int(buffer_, ts_event);
    buffer_ += ",\"fields\":{";
    buffer_ += fields_json;
    buffer_ += "},\"prev_hash\":\"";
    buffer_.append(head_hash_, 64);
    buffer_ += '"';
    const auto digest =
        sha256::hash(std::string_view(buffer_.data() + start, buffer_.size() - start));
    to_hex(digest, head_hash_);
    buffer_ += hash_marker;
    buffer_.append(head_hash_, 64);
    buffer_ += "\"}\n";
  } catch (...) {  // allocation failure: the log can no longer be trusted
    failed_ = true;
    return make_error_code(audit_errc::write_failed);
  }
  ++next_seq_;
  last_ts_ = ts_event;
  if (buffer_.size() >= buffer_limit_)
    return drain();
  return {};
}

std::error_code audit_log_writer::append(std::string_view type, timestamp_ns ts_event,
                                         std::string_view fields_json) noexcept {
  if (file_ == nullptr || closed_)
    return make_error_code(audit_errc::not_open);
  if (failed_)
    return make_error_code(audit_errc::write_failed);
  if (type.empty() || type == audit_end_type)
    return make_error_code(audit_errc::bad_type);
  return write_record(type, ts_event, fields_json);
}

std::error_code audit_log_writer::drain() noexcept {
  if (buffer_.empty())
    return {};
  const std::size_t written = std::fwrite(buffer_.data(), 1, buffer_.size(), file_);
  if (written != buffer_.size()) {
    failed_ = true;
    buffer_.erase(0, written);
    return make_error_code(audit_errc::write_failed);
  }
  buffer_.clear();
  return {};
}

std::error_code audit_log_writer::flush() noexcept {
  if (file_ == nullptr)
    return closed_ ? std::error_code{} : make_error_code(audit_errc::not_open);
  if (failed_)
    return make_error_code(audit_errc::write_failed);
  return drain();
}

std::error_code audit_log_writer::close() noexcept {
  if (closed_)
    return {};
  if (file_ == nullptr)
    return make_error_code(audit_errc::not_open);
  std::error_code ec;
  if (!failed_) {
    char fields[40] = "\"records\":";
    const auto r = std::to_chars(fields + 10, fields + sizeof fields, next_seq_ - 1);
    ec = write_record(audit_end_type, last_ts_,
                      std::string_view(fields, static_cast<std::size_t>(r.ptr - fields)));
    --next_seq_;  // records() keeps counting decisions only
    if (!ec)
      ec = drain();
  } else {
    ec = make_error_code(audit_errc::write_failed);
  }
  if (std::fflush(file_) != 0 && !ec)
    ec = make_error_code(audit_errc::write_failed);
  if (::fsync(::fileno(file_)) != 0 && !ec)
    ec = make_error_code(audit_errc::write_failed);
  if (std::fclose(file_) != 0 && !ec)
    ec = make_error_code(audit_errc::write_failed);
  file_ = nullptr;
  closed_ = true;
  return ec;
}

std::string_view to_string(audit_problem p) noexcept {
  switch (p) {
    case audit_problem::none:
      return "none";
    case audit_problem::unreadable:
      return "unreadable";
    case audit_problem::empty:
      return "empty";
    case audit_problem::malformed:
      return "malformed";
    case audit_problem::hash_mismatch:
      return "hash_mismatch";
    case audit_problem::sequence_gap:
      return "sequence_gap";
    case audit_problem::chain_broken:
      return "chain_broken";
    case audit_problem::truncated_line:
      return "truncated_line";
    case audit_problem::missing_end:
      return "missing_end";
    case audit_problem::after_end:
      return "after_end";
    case audit_problem::end_count:
      return "end_count";
  }
  return "unknown";
}

audit_verify_result verify_audit_log_text(std::string_view text, bool require_end) {
  audit_verify_result result;
  result.head_hash = std::string(audit_genesis_hash);
  auto fail = [&result](audit_problem p, std::uint64_t line, std::uint64_t seq, std::string why) {
    result.ok = false;
    result.problem = p;
    result.line = line;
    result.seq = seq;
    result.reason = std::move(why);
    return result;
  };

  simdjson::dom::parser parser;
  std::uint64_t line_no = 0;
  std::uint64_t expected_seq = 1;
  std::size_t pos = 0;
  while (pos < text.size()) {
    ++line_no;
    const std::size_t nl = text.find('\n', pos);
    const bool has_newline = nl != std::string_view::npos;
    const std::string_view line = text.substr(pos, has_newline ? nl - pos : text.size() - pos);
    pos = has_newline ? nl + 1 : text.size();

    if (result.has_end)
      return fail(audit_problem::after_end, line_no, 0,
                  "line " + std::to_string(line_no) + " follows the log_end record");
    if (!has_newline)
      return fail(audit_problem::truncated_line, line_no, 0,
                  "line " + std::to_string(line_no) +
                      " has no newline: the file was cut in the middle of a record");

    // Structure: <body>,"hash":"<64 hex>"}
    const std::size_t marker = line.rfind(hash_marker);
    if (line.empty() || line.front() != '{' || marker == std::string_view::npos ||
        line.size() != marker + hash_marker.size() + 64 + 2 ||
        line.substr(line.size() - 2) != "\"}" ||
        !is_sha256_hex(line.substr(marker + hash_marker.size(), 64)))
      return fail(audit_problem::malformed, line_no, 0,
                  "line " + std::to_string(line_no) +
                      " is not an audit record (expected {...,\"hash\":\"<64 hex>\"})");
    const std::string_view body = line.substr(0, marker);
    const std::string_view stored_hash = line.substr(marker + hash_marker.size(), 64);

    simdjson::dom::element root;
    simdjson::dom::object record;
    std::uint64_t seq = 0;
    std::string_view type;
    std::int64_t ts = 0;
    std::string_view prev;
    simdjson::dom::object fields;
    if (parser.parse(line.data(), line.size(), true).get(root) != simdjson::SUCCESS ||
        root.get_object().get(record) != simdjson::SUCCESS ||
        record["seq"].get_uint64().get(seq) != simdjson::SUCCESS ||
        record["type"].get_string().get(type) != simdjson::SUCCESS ||
        record["ts_event"].get_int64().get(ts) != simdjson::SUCCESS ||
        record["fields"].get_object().get(fields) != simdjson::SUCCESS ||
        record["prev_hash"].get_string().get(prev) != simdjson::SUCCESS)
      return fail(audit_problem::malformed, line_no, seq,
                  "line " + std::to_string(line_no) +
                      " is not valid JSON with seq, type, ts_event, fields and prev_hash");

    if (to_hex(sha256::hash(body)) != stored_hash)
      return fail(audit_problem::hash_mismatch, line_no, seq,
                  "line " + std::to_string(line_no) + " (seq " + std::to_string(seq) +
                      "): content does not match its hash — the record was changed");
    if (seq != expected_seq)
      return fail(audit_problem::sequence_gap, line_no, seq,
                  "line " + std::to_string(line_no) + ": seq " + std::to_string(seq) + " where " +
                      std::to_string(expected_seq) +
                      " was expected — a record was removed, inserted or reordered");
    if (prev != result.head_hash)
      return fail(audit_problem::chain_broken, line_no, seq,
                  "line " + std::to_string(line_no) + " (seq " + std::to_string(seq) +
                      "): prev_hash does not match the previous record's hash — the chain is "
                      "broken here");

    if (type == audit_end_type) {
      std::uint64_t count = 0;
      if (fields["records"].get_uint64().get(count) != simdjson::SUCCESS || count != seq - 1)
        return fail(audit_problem::end_count, line_no, seq,
                    "line " + std::to_string(line_no) +
                        ": log_end claims a record count that "
                        "does not match " +
                        std::to_string(seq - 1));
      result.has_end = true;
    } else {
      result.records = seq;
    }
    result.head_hash = std::string(stored_hash);
    result.last_ts_event = ts;
    ++expected_seq;
  }

  if (line_no == 0)
    return fail(audit_problem::empty, 0, 0, "the audit log has no records");
  if (require_end && !result.has_end)
    return fail(audit_problem::missing_end, line_no + 1, expected_seq,
                "no log_end record after line " + std::to_string(line_no) +
                    ": the log was truncated or the run did not finish");
  result.ok = true;
  return result;
}

audit_verify_result verify_audit_log(const std::filesystem::path& path, bool require_end) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    audit_verify_result r;
    r.problem = audit_problem::unreadable;
    r.reason = "cannot open " + path.string();
    return r;
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) {
    audit_verify_result r;
    r.problem = audit_problem::unreadable;
    r.reason = "cannot read " + path.string();
    return r;
  }
  return verify_audit_log_text(content.str(), require_end);
}

}  // namespace peak::evidence
