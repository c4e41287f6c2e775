#pragma once
/// Maps venue symbols (`BTCUSDT`, `BTC-USD`, `XBT/USD`, `btcusd`) to session instrument ids.
/// Keys are normalised (ASCII letters upper-cased, everything but letters and digits
/// dropped), so one configured symbol matches every venue's spelling; Kraken's `XBT` also
/// matches `BTC`. Lookups do not allocate.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "messages/common.hpp"
#include "messages/instrument.hpp"

namespace peak::marketdata {

class symbol_map {
public:
  /// Longest normalised key kept; longer symbols never match.
  static constexpr std::size_t max_key = 31;

  symbol_map() = default;
  /// One entry per instrument, id = index (the session's instrument table order).
  explicit symbol_map(const std::vector<instrument_spec>& instruments);
  symbol_map(const symbol_map&) = default;
  symbol_map& operator=(const symbol_map&) = default;
  /// A moved-from map is empty (and has a revision of its own).
  symbol_map(symbol_map&& other) noexcept;
  symbol_map& operator=(symbol_map&& other) noexcept;
  ~symbol_map() = default;

  /// Adds `symbol` as instrument `id`; false if its normalised key is empty, too long or
  /// already present (the first mapping wins).
  bool add(std::string_view symbol, instrument_id id);
  /// Instrument of a venue symbol, or no_instrument.
  [[nodiscard]] instrument_id find(std::string_view symbol) const noexcept;
  /// The instrument when exactly one symbol is mapped, else no_instrument.
  [[nodiscard]] instrument_id only() const noexcept;
  /// Number of symbols mapped.
  [[nodiscard]] std::size_t size() const noexcept { return count_; }
  /// Identifies the mappings: maps with equal revisions map every symbol alike (a copy
  /// keeps its source's revision; add and moves give new ones), so callers may cache
  /// lookups under it.
  [[nodiscard]] std::uint64_t revision() const noexcept { return revision_; }
  /// Highest id mapped + 1 (0 when empty).
  [[nodiscard]] std::uint32_t instrument_count() const noexcept { return id_limit_; }
  /// Normalises `symbol` into `out` (at most max_key chars); returns the length, 0 if the
  /// key is empty or too long.
  static std::size_t normalise(std::string_view symbol, char* out) noexcept;

private:
  struct slot {
    char key[max_key + 1] = {};
    std::uint8_t length = 0;
    instrument_id id = no_instrument;
  };
  [[nodiscard]] instrument_id lookup(const char* key, std::size_t length) const noexcept;
  void grow();
  /// A revision no map has had before (process-wide counter).
  static std::uint64_t next_revision() noexcept;

  std::vector<slot> slots_;  ///< open addressing, power-of-two size
  std::size_t count_ = 0;
  std::uint32_t id_limit_ = 0;
  std::uint64_t revision_ = next_revision();
};

}  // namespace peak::marketdata
