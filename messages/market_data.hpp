#pragma once
/// Normalised market events: trade, best bid/offer (quote), bar and book-level update.

#include <cstdint>

#include "messages/common.hpp"
#include "messages/fixed_point.hpp"

namespace peak {

/// Kind of a market event.
enum class event_kind : std::uint8_t {
  trade = 0,  ///< price/qty are the trade's price and size
  quote = 1,  ///< bid/ask with sizes (best bid/offer)
  bar = 2,    ///< open/high/low, price = close, qty = volume
  book = 3,   ///< one price level of an order book update: side in `book_side`, size 0 = delete
};

/// Data-quality flags carried by every market event (bit mask). Events are flagged and
/// passed on, never silently dropped, so L2 can raise NO-TRADE.
enum quality_flag : std::uint32_t {
  quality_ok = 0,
  quality_gap = 1u << 0,           ///< time gap beyond the threshold since the previous event
  quality_stale = 1u << 1,         ///< no fresh data for the instrument beyond the stale limit
  quality_out_of_order = 1u << 2,  ///< event time earlier than the previous event
  quality_duplicate = 1u << 3,     ///< same sequence / identical event repeated
  quality_crossed = 1u << 4,       ///< bid > ask
  quality_locked = 1u << 5,        ///< bid == ask
  quality_bad_price = 1u << 6,     ///< non-positive, NaN or absurd price
  quality_bad_size = 1u << 7,      ///< negative, NaN or absurd size
  quality_price_jump = 1u << 8,    ///< move beyond N sigma of recent returns
  quality_sequence_gap = 1u << 9,  ///< feed sequence numbers skipped
};

/// One normalised market event. Trivially copyable; fields not used by a kind are zero.
struct market_event {
  timestamp_ns ts_event = 0;    ///< exchange event time (or receive time when absent)
  timestamp_ns ts_receive = 0;  ///< capture receive time from the data, 0 if unknown
  std::uint64_t sequence = 0;   ///< feed sequence / trade id, 0 if none
  /// The sequence the feed says this event follows on from, 0 if the feed has no such link.
  /// Binance depth updates: spot `U - 1`, futures `pu` (all levels of one update share it).
  std::uint64_t previous_sequence = 0;
  instrument_id instrument = no_instrument;
  event_kind kind = event_kind::trade;
  aggressor taker = aggressor::unknown;
  side book_side = side::buy;  ///< for kind == book
  std::uint32_t quality = 0;   ///< quality_flag bits
  price px;                    ///< trade price, bar close, book level price
  quantity qty;                ///< trade size, bar volume, book level size
  price bid;                   ///< quote
  quantity bid_qty;            ///< quote
  price ask;                   ///< quote
  quantity ask_qty;            ///< quote
  price open;                  ///< bar
  price high;                  ///< bar
  price low;                   ///< bar
  std::int64_t wall_ns = 0;    ///< steady clock when market-data emitted it (latency only;
                               ///< never used for decisions, never written to evidence)
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, market_event& x) {
  return f(x.ts_event, x.ts_receive, x.sequence, x.previous_sequence, x.instrument, x.kind, x.taker,
           x.book_side, x.quality, x.px, x.qty, x.bid, x.bid_qty, x.ask, x.ask_qty, x.open, x.high,
           x.low, x.wall_ns);
}

}  // namespace peak
