#pragma once
/// CSV bars (`timestamp,open,high,low,close[,volume]`) and trades
/// (`timestamp,price,size[,side][,symbol]`), with or without a header naming the columns.

#include <cstddef>
#include <string_view>
#include <vector>

#include "marketdata/feed_reader.hpp"
#include "marketdata/venues/venue_context.hpp"

namespace peak::marketdata::venues {

/// Reads CSV rows into bar or trade events; remembers the columns of the header.
class csv_reader {
public:
  csv_reader(venue_context& context, feed_format format) : context_(context), format_(format) {}

  line_status parse(std::string_view line, std::vector<market_event>& out);

private:
  static constexpr std::size_t max_cells = 16;

  bool header(const std::string_view* cells, std::size_t n);
  void default_columns() noexcept;
  line_status read_row(const std::string_view* cells, std::size_t n, market_event& e);
  line_status resolve_row(const std::string_view* cells, std::size_t n, instrument_id& id);

  venue_context& context_;
  feed_format format_;
  bool started_ = false;
  int col_ts_ = 0, col_open_ = -1, col_high_ = -1, col_low_ = -1, col_close_ = -1,
      col_volume_ = -1, col_price_ = -1, col_size_ = -1, col_side_ = -1, col_symbol_ = -1;
};

}  // namespace peak::marketdata::venues
