#include "marketdata/venues/csv_reader.hpp"

#include <string>

#include "marketdata/decimal.hpp"
#include "marketdata/venues/ascii.hpp"

namespace peak::marketdata::venues {
namespace {

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '"'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '"'))
    s.remove_suffix(1);
  return s;
}

std::size_t split(std::string_view line, std::string_view* cells, std::size_t max) {
  std::size_t n = 0;
  while (n < max) {
    const std::size_t comma = line.find(',');
    cells[n++] = trim(line.substr(0, comma));
    if (comma == std::string_view::npos)
      break;
    line.remove_prefix(comma + 1);
  }
  return n;
}

/// Cell `c` of a row; empty when the row is shorter or the column absent.
std::string_view cell(const std::string_view* cells, std::size_t n, int c) noexcept {
  return c >= 0 && static_cast<std::size_t>(c) < n ? cells[c] : std::string_view();
}

aggressor side_of(std::string_view s) noexcept {
  if (s == "buy" || s == "b" || s == "B" || s == "BUY" || s == "buyer")
    return aggressor::buyer;
  if (s == "sell" || s == "s" || s == "S" || s == "SELL" || s == "seller")
    return aggressor::seller;
  return aggressor::unknown;
}

}  // namespace

line_status csv_reader::parse(std::string_view line, std::vector<market_event>& out) {
  std::string_view cells[max_cells];
  const std::size_t n = split(line, cells, max_cells);
  if (!started_) {
    started_ = true;
    std::int64_t probe = 0;
    if (!parse_timestamp(cells[0], probe)) {
      if (!header(cells, n)) {
        started_ = false;
        return context_.fail("csv: header lacks the required columns");
      }
      return line_status::non_data;
    }
    default_columns();
  }
  market_event e;
  const line_status row = read_row(cells, n, e);
  if (row != line_status::data)
    return row;
  instrument_id id = no_instrument;
  const line_status who = resolve_row(cells, n, id);
  if (who != line_status::data)
    return who;
  const std::size_t from = out.size();
  out.push_back(e);
  context_.finish(out, from, id, 0);
  return context_.data(format_ == feed_format::csv_bars ? message_type::bar : message_type::trade);
}

bool csv_reader::header(const std::string_view* cells, std::size_t n) {
  col_ts_ = col_open_ = col_high_ = col_low_ = col_close_ = col_volume_ = -1;
  col_price_ = col_size_ = col_side_ = col_symbol_ = -1;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string name = lower(cells[i]);
    const int c = static_cast<int>(i);
    if (name == "timestamp" || name == "time" || name == "date" || name == "datetime" ||
        name == "ts" || name == "ts_event")
      col_ts_ = c;
    else if (name == "open" || name == "o")
      col_open_ = c;
    else if (name == "high" || name == "h")
      col_high_ = c;
    else if (name == "low" || name == "l")
      col_low_ = c;
    else if (name == "close" || name == "c")
      col_close_ = c;
    else if (name == "volume" || name == "v")
      col_volume_ = c;
    else if (name == "price" || name == "px")
      col_price_ = c;
    else if (name == "size" || name == "qty" || name == "quantity" || name == "amount")
      col_size_ = c;
    else if (name == "side" || name == "taker" || name == "aggressor")
      col_side_ = c;
    else if (name == "symbol" || name == "instrument" || name == "pair" || name == "product")
      col_symbol_ = c;
  }
  if (format_ == feed_format::csv_trades && col_size_ < 0 && col_volume_ >= 0)
    col_size_ = col_volume_;
  if (col_ts_ < 0)
    return false;
  return format_ == feed_format::csv_bars
             ? (col_open_ >= 0 && col_high_ >= 0 && col_low_ >= 0 && col_close_ >= 0)
             : (col_price_ >= 0 && col_size_ >= 0);
}

void csv_reader::default_columns() noexcept {
  col_ts_ = 0;
  col_open_ = col_high_ = col_low_ = col_close_ = col_volume_ = -1;
  col_price_ = col_size_ = col_side_ = col_symbol_ = -1;
  if (format_ == feed_format::csv_bars) {
    col_open_ = 1, col_high_ = 2, col_low_ = 3, col_close_ = 4, col_volume_ = 5;
  } else {
    col_price_ = 1, col_size_ = 2, col_side_ = 3;
  }
}

line_status csv_reader::read_row(const std::string_view* cells, std::size_t n, market_event& e) {
  if (!parse_timestamp(cell(cells, n, col_ts_), e.ts_event))
    return context_.fail("csv: bad timestamp");
  if (format_ == feed_format::csv_bars) {
    e.kind = event_kind::bar;
    if (!parse_fixed(cell(cells, n, col_open_), e.open.raw) ||
        !parse_fixed(cell(cells, n, col_high_), e.high.raw) ||
        !parse_fixed(cell(cells, n, col_low_), e.low.raw) ||
        !parse_fixed(cell(cells, n, col_close_), e.px.raw))
      return context_.fail("csv: bad open/high/low/close");
    const std::string_view vol = cell(cells, n, col_volume_);
    if (!vol.empty() && !parse_fixed(vol, e.qty.raw))
      return context_.fail("csv: bad volume");
    return line_status::data;
  }
  e.kind = event_kind::trade;
  if (!parse_fixed(cell(cells, n, col_price_), e.px.raw))
    return context_.fail("csv: bad price");
  if (!parse_fixed(cell(cells, n, col_size_), e.qty.raw))
    return context_.fail("csv: bad size");
  e.taker = side_of(cell(cells, n, col_side_));
  return line_status::data;
}

/// The row's instrument: its symbol column, else the file's, else the map's only one.
line_status csv_reader::resolve_row(const std::string_view* cells, std::size_t n,
                                    instrument_id& id) {
  id = context_.options.default_instrument;
  if (col_symbol_ >= 0) {
    id = context_.resolve(cell(cells, n, col_symbol_));
    return id == no_instrument ? line_status::unknown_symbol : line_status::data;
  }
  if (id == no_instrument)
    id = context_.symbols->only();
  if (id == no_instrument) {
    context_.unknown = "(no symbol column and no default instrument)";
    return line_status::unknown_symbol;
  }
  return line_status::data;
}

}  // namespace peak::marketdata::venues
