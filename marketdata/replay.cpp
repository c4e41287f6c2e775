#include "marketdata/replay.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "marketdata/decimal.hpp"

namespace peak::marketdata {

struct replay_source::file_cursor {
  std::string path;
  std::unique_ptr<char[]> buffer;  ///< file bytes + feed_reader::padding zero bytes
  std::size_t size = 0;
  std::size_t position = 0;
  std::uint64_t line = 0;
  feed_reader reader;
  std::vector<market_event> pending;
  std::size_t next = 0;  ///< index of the head event in pending
  bool done = false;

  file_cursor(std::string p, feed_format format, symbol_map& symbols, const reader_options& o)
      : path(std::move(p)), reader(format, symbols, o) {}
};

namespace {

std::string describe_errno(int e) {
  const char* text = std::strerror(e);
  return text != nullptr ? text : "error";
}

/// Reads a whole file into a padded buffer; throws replay_error naming the file.
std::unique_ptr<char[]> load(const std::string& path, std::size_t& size) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status))
    throw replay_error(path + ": market data file not found");
  if (!std::filesystem::is_regular_file(status))
    throw replay_error(path + ": not a regular file");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr)
    throw replay_error(path + ": cannot open: " + describe_errno(errno));
  struct closer {
    std::FILE* f;
    ~closer() { std::fclose(f); }
  } guard{f};
  const auto length = std::filesystem::file_size(path, ec);
  if (ec)
    throw replay_error(path + ": cannot read its size: " + ec.message());
  if (length == 0)
    throw replay_error(path + ": empty file");
  size = static_cast<std::size_t>(length);
  auto buffer = std::make_unique<char[]>(size + feed_reader::padding);
  const std::size_t got = std::fread(buffer.get(), 1, size, f);
  if (got != size)
    throw replay_error(path + ": read error after " + std::to_string(got) + " bytes");
  std::memset(buffer.get() + size, 0, feed_reader::padding);
  // Binary content: NUL bytes or many control characters in the first 4 KiB.
  const std::size_t probe = size < 4096 ? size : 4096;
  std::size_t control = 0;
  for (std::size_t i = 0; i < probe; ++i) {
    const auto c = static_cast<unsigned char>(buffer[i]);
    if (c == 0)
      throw replay_error(path + ": binary content (NUL bytes), not a text market data file");
    if (c < 32 && c != '\n' && c != '\r' && c != '\t')
      ++control;
  }
  if (control * 20 > probe)
    throw replay_error(path + ": binary content, not a text market data file");
  return buffer;
}

}  // namespace

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
    std::size_t size = 0;
    auto buffer = load(spec.path, size);
    feed_format format = spec.format;
    if (format == feed_format::unknown) {
      // The first 64 KiB (or 64 lines) tell the venue: capture URLs and message keys.
      std::size_t head = size < 65'536 ? size : 65'536;
      format = detect_format(std::string_view(buffer.get(), head), spec.path);
    }
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
    auto cursor = std::make_unique<file_cursor>(spec.path, format, symbols_, ro);
    cursor->buffer = std::move(buffer);
    cursor->size = size;
    cursor->pending.reserve(1024);
    files_.push_back(std::move(cursor));
  }
}

replay_source::~replay_source() = default;

feed_format replay_source::format(std::size_t index) const noexcept {
  return index < files_.size() ? files_[index]->reader.format() : feed_format::unknown;
}

bool replay_source::fill(file_cursor& f) {
  f.pending.clear();
  f.next = 0;
  while (f.pending.empty()) {
    if (f.position >= f.size) {
      f.done = true;
      return false;
    }
    const char* start = f.buffer.get() + f.position;
    const std::size_t remaining = f.size - f.position;
    const void* nl = std::memchr(start, '\n', remaining);
    const std::size_t length =
        nl != nullptr ? static_cast<std::size_t>(static_cast<const char*>(nl) - start) : remaining;
    f.position += length + (nl != nullptr ? 1 : 0);
    ++f.line;
    const line_status s = f.reader.parse_line(start, length, f.pending);
    if (s == line_status::malformed && malformed_.size() < options_.malformed_samples)
      malformed_.push_back({f.path, f.line, f.reader.last_error()});
    if (s == line_status::unknown_symbol && unknown_.size() < options_.unknown_symbol_samples) {
      const std::string_view sym = f.reader.last_unknown_symbol();
      bool seen = false;
      for (const std::string& u : unknown_)
        seen = seen || u == sym;
      if (!seen)
        unknown_.emplace_back(sym);
    }
  }
  return true;
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
    s.totals.lines += c.lines;
    s.totals.bytes += c.bytes;
    for (std::size_t i = 0; i < message_type_count; ++i)
      s.totals.messages[i] += c.messages[i];
    s.totals.non_data += c.non_data;
    s.totals.malformed += c.malformed;
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
