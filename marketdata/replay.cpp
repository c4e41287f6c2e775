#include "marketdata/replay.hpp"

#include <cstring>

#include "marketdata/decimal.hpp"
#include "marketdata/line_stream.hpp"

namespace peak::marketdata {

struct replay_source::file_cursor {
  std::unique_ptr<line_stream> stream;
  std::uint64_t line = 0;
  std::uint64_t skipped_lines = 0;  ///< oversized lines and read errors (malformed)
  std::uint64_t skipped_bytes = 0;
  feed_reader reader;
  std::vector<market_event> pending;
  std::size_t next = 0;  ///< index of the head event in pending
  bool done = false;

  file_cursor(std::unique_ptr<line_stream> s, feed_format format, symbol_map& symbols,
              const reader_options& o)
      : stream(std::move(s)), reader(format, symbols, o) {}
};

bool parse_speed(std::string_view text, double& speed) noexcept {
  if (text == "max") {
    speed = 0.0;
    return true;
  }
  if (text.size() < 2 || (text.back() != 'x' && text.back() != 'X'))
    return false;
  text.remove_suffix(1);
  std::size_t points = 0;
  for (const char c : text)
    points += c == '.' ? 1u : 0u;
  if (points > 1 || text.front() < '0' || text.front() > '9' ||
      text.find_first_not_of("0123456789.") != std::string_view::npos)
    return false;  // plain digits and one point: no sign, exponent, nan, inf or spaces
  std::int64_t micro = 0;
  if (!parse_scaled(text, 6, micro) || micro <= 0)
    return false;
  speed = static_cast<double>(micro) / 1e6;
  return true;
}

replay_source::replay_source(const std::vector<replay_file>& files, const symbol_map& symbols,
                             const replay_options& options)
    : symbols_(symbols), options_(options) {
  if (files.empty())
    throw replay_error("replay: no input files");
  for (const replay_file& spec : files) {
    auto stream =
        std::make_unique<line_stream>(spec.path, feed_reader::padding, options_.max_line_bytes);
    feed_format format = spec.format;
    if (format == feed_format::unknown)  // the first 64 KiB tell the venue: URLs and keys
      format = detect_format(stream->head(), spec.path);
    if (format == feed_format::unknown)
      throw replay_error(spec.path +
                         ": cannot detect the market data format (binance, coinbase, kraken, "
                         "bitstamp, csv_bars, csv_trades); give it explicitly");
    reader_options ro = options_.reader;
    if (!spec.symbol.empty()) {
      ro.default_instrument = symbols_.find(spec.symbol);
      if (ro.default_instrument == no_instrument)
        throw replay_error(spec.path + ": symbol '" + spec.symbol +
                           "' is not among the session's instruments");
    }
    auto cursor = std::make_unique<file_cursor>(std::move(stream), format, symbols_, ro);
    cursor->pending.reserve(1024);
    files_.push_back(std::move(cursor));
  }
}

replay_source::~replay_source() = default;

feed_format replay_source::format(std::size_t index) const noexcept {
  return index < files_.size() ? files_[index]->reader.format() : feed_format::unknown;
}

std::size_t replay_source::buffer_bytes() const noexcept {
  std::size_t total = 0;
  for (const auto& f : files_)
    total += f->stream->buffer_bytes();
  return total;
}

bool replay_source::fill(file_cursor& f) {
  f.pending.clear();
  f.next = 0;
  while (f.pending.empty()) {
    const char* start = nullptr;
    std::size_t length = 0;
    const line_stream::status got = f.stream->next(start, length);
    if (got == line_stream::status::end) {
      f.done = true;
      return false;
    }
    ++f.line;
    if (got == line_stream::status::line) {
      note(f, f.reader.parse_line(start, length, f.pending));
      continue;
    }
    // A line too long to buffer, or a read error: counted as a malformed line.
    ++f.skipped_lines;
    f.skipped_bytes += length;
    if (malformed_.size() < options_.malformed_samples)
      malformed_.push_back({f.stream->path(), f.line,
                            got == line_stream::status::oversized
                                ? "line longer than " + std::to_string(options_.max_line_bytes) +
                                      " bytes, skipped"
                                : "read error: " + f.stream->error()});
  }
  return true;
}

void replay_source::note(file_cursor& f, line_status s) {
  if (s == line_status::malformed && malformed_.size() < options_.malformed_samples)
    malformed_.push_back({f.stream->path(), f.line, f.reader.last_error()});
  if (s == line_status::unknown_symbol && unknown_.size() < options_.unknown_symbol_samples) {
    const std::string_view sym = f.reader.last_unknown_symbol();
    bool seen = false;
    for (const std::string& u : unknown_)
      seen = seen || u == sym;
    if (!seen)
      unknown_.emplace_back(sym);
  }
}

bool replay_source::next(market_event& out) {
  file_cursor* best = nullptr;
  for (auto& fp : files_) {
    file_cursor& f = *fp;
    if (f.done)
      continue;
    if (f.next >= f.pending.size() && !fill(f))
      continue;
    if (best == nullptr || f.pending[f.next].ts_event < best->pending[best->next].ts_event)
      best = &f;
  }
  if (best == nullptr)
    return false;
  out = best->pending[best->next++];
  ++emitted_;
  return true;
}

replay_stats replay_source::stats() const {
  replay_stats s;
  s.files = files_.size();
  for (const auto& fp : files_) {
    const reader_counters& c = fp->reader.counters();
    s.totals.lines += c.lines + fp->skipped_lines;
    s.totals.bytes += c.bytes + fp->skipped_bytes;
    for (std::size_t i = 0; i < message_type_count; ++i)
      s.totals.messages[i] += c.messages[i];
    s.totals.non_data += c.non_data;
    s.totals.malformed += c.malformed + fp->skipped_lines;
    s.totals.unknown_symbol += c.unknown_symbol;
    s.totals.empty += c.empty;
    for (std::size_t i = 0; i < s.totals.events.size(); ++i)
      s.totals.events[i] += c.events[i];
  }
  s.events_emitted = emitted_;
  s.first_malformed = malformed_;
  s.unknown_symbols = unknown_;
  return s;
}

std::unique_ptr<replay_source> open_replay(const std::vector<std::string>& paths,
                                           const std::vector<instrument_spec>& instruments,
                                           const replay_options& options) {
  std::vector<replay_file> files;
  files.reserve(paths.size());
  for (const std::string& p : paths)
    files.push_back(replay_file{p, feed_format::unknown, {}});
  return std::make_unique<replay_source>(files, symbol_map(instruments), options);
}

}  // namespace peak::marketdata
