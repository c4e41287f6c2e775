#include "config/session_config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "marketdata/replay.hpp"
#include "messages/fixed_text.hpp"

namespace peak::config {
namespace {

/// Why `symbol` cannot be written into the pack's CSV files and human output ("" = it can):
/// the first comma, quote or control character (C0, DEL, C1) and where it is.
std::string symbol_flaw(const std::string& symbol) {
  for (std::size_t i = 0; i < symbol.size(); ++i) {
    const auto c = static_cast<unsigned char>(symbol[i]);
    const bool c1 = c == 0xC2 && i + 1 < symbol.size() &&
                    static_cast<unsigned char>(symbol[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(symbol[i + 1]) <= 0x9F;
    char what[64] = "";
    if (c == ',')
      std::snprintf(what, sizeof what, "a comma");
    else if (c == '"' || c == '\'')
      std::snprintf(what, sizeof what, "a quote");
    else if (c < 0x20 || c == 0x7F)
      std::snprintf(what, sizeof what, "control character 0x%02X", c);
    else if (c1)
      std::snprintf(what, sizeof what, "control character U+%04X",
                    static_cast<unsigned>(static_cast<unsigned char>(symbol[i + 1])));
    if (what[0] != '\0')
      return std::string(what) + " at byte " + std::to_string(i);
  }
  return "";
}

std::string describe(const toml::node& node) {
  std::ostringstream out;
  switch (node.type()) {
    case toml::node_type::string:
      out << "string \"" << node.as_string()->get() << '"';
      break;
    case toml::node_type::integer:
      out << "integer " << node.as_integer()->get();
      break;
    case toml::node_type::floating_point:
      out << "float " << node.as_floating_point()->get();
      break;
    case toml::node_type::boolean:
      out << "boolean " << (node.as_boolean()->get() ? "true" : "false");
      break;
    case toml::node_type::table:
      out << "a table";
      break;
    case toml::node_type::array:
      out << "an array";
      break;
    default:
      out << "a date/time";
      break;
  }
  return out.str();
}

std::string format_double(double v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  std::string s(buf, res.ptr);
  if (s.find_first_of(".eEn") == std::string::npos)
    s += ".0";
  return s;
}

/// Exact fixed-point text, with ".0" on whole values as TOML floats (format_double's form).
std::string format_money(money m) {
  std::string s = text::fixed_text(m.raw);
  if (s.find('.') == std::string::npos)
    s += ".0";
  return s;
}

using text::days_from_civil;

/// RFC 3339 UTC rendering of an instant (seconds resolution plus nanoseconds when non-zero).
std::string format_instant(timestamp_ns t) {
  return text::utc_text(t, text::utc_fraction::nanoseconds_if_any);
}

/// Walks a TOML document, collecting every problem instead of stopping at the first.
class reader {
public:
  explicit reader(std::string source) : source_(std::move(source)) {}

  std::vector<std::string> problems;

  void problem(const toml::node* node, const std::string& path, const std::string& expected,
               const std::string& found) {
    std::ostringstream out;
    out << source_;
    if (node != nullptr && node->source().begin.line > 0)
      out << ':' << node->source().begin.line;
    out << ": " << path << ": expected " << expected << ", found " << found;
    problems.push_back(out.str());
  }

  void check_keys(const toml::table& table, const std::string& path,
                  std::initializer_list<std::string_view> allowed) {
    check_keys(table, path, std::vector<std::string_view>(allowed));
  }
  void check_keys(const toml::table& table, const std::string& path,
                  const std::vector<std::string_view>& allowed) {
    for (auto&& [key, node] : table) {
      bool known = false;
      for (auto a : allowed)
        known = known || key.str() == a;
      if (!known) {
        std::string list;
        for (auto a : allowed)
          list += (list.empty() ? "" : ", ") + std::string(a);
        problem(&node, join(path, key.str()), "no such key (known keys: " + list + ")",
                "unknown key");
      }
    }
  }

  static std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }

  const toml::table* table(const toml::table& parent, const std::string& path,
                           std::string_view key) {
    const toml::node* node = parent.get(key);
    if (node == nullptr)
      return nullptr;
    if (!node->is_table()) {
      problem(node, join(path, key), "a table", describe(*node));
      return nullptr;
    }
    return node->as_table();
  }

  template <class Int>
  void integer(const toml::table& t, const std::string& path, std::string_view key, Int& out,
               std::int64_t min, std::int64_t max) {
    const toml::node* node = t.get(key);
    if (node == nullptr)
      return;
    if (!node->is_integer()) {
      problem(node, join(path, key),
              "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]",
              describe(*node));
      return;
    }
    const std::int64_t v = node->as_integer()->get();
    if (v < min || v > max) {
      problem(node, join(path, key),
              "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]",
              describe(*node));
      return;
    }
    out = static_cast<Int>(v);
  }

  /// A number (integer or float) in [min, max]; `min_exclusive` makes the lower bound open.
  bool number(const toml::table& t, const std::string& path, std::string_view key, double& out,
              double min, double max, bool min_exclusive = false) {
    const toml::node* node = t.get(key);
    if (node == nullptr)
      return false;
    const std::string range = std::string(min_exclusive ? "(" : "[") + format_double(min) + ", " +
                              format_double(max) + "]";
    double v = 0;
    if (node->is_integer())
      v = static_cast<double>(node->as_integer()->get());
    else if (node->is_floating_point())
      v = node->as_floating_point()->get();
    else {
      problem(node, join(path, key), "a number in " + range, describe(*node));
      return false;
    }
    if (std::isnan(v) || v < min || v > max || (min_exclusive && v <= min)) {
      problem(node, join(path, key), "a number in " + range, describe(*node));
      return false;
    }
    out = v;
    return true;
  }

  void amount(const toml::table& t, const std::string& path, std::string_view key, money& out,
              double min, double max, bool min_exclusive = false) {
    double v = 0;
    if (number(t, path, key, v, min, max, min_exclusive))
      out = fixed::make_money(v);
  }

  void boolean(const toml::table& t, const std::string& path, std::string_view key, bool& out) {
    const toml::node* node = t.get(key);
    if (node == nullptr)
      return;
    if (!node->is_boolean()) {
      problem(node, join(path, key), "a boolean (true or false)", describe(*node));
      return;
    }
    out = node->as_boolean()->get();
  }

  void string(const toml::table& t, const std::string& path, std::string_view key, std::string& out,
              std::initializer_list<std::string_view> choices = {}) {
    const toml::node* node = t.get(key);
    if (node == nullptr)
      return;
    std::string expected = "a string";
    if (choices.size() > 0) {
      expected = "one of";
      for (auto c : choices)
        expected += " \"" + std::string(c) + "\"";
    }
    if (!node->is_string()) {
      problem(node, join(path, key), expected, describe(*node));
      return;
    }
    const std::string v = node->as_string()->get();
    if (choices.size() > 0) {
      bool ok = false;
      for (auto c : choices)
        ok = ok || v == c;
      if (!ok) {
        problem(node, join(path, key), expected, describe(*node));
        return;
      }
    }
    out = v;
  }

  void string_list(const toml::table& t, const std::string& path, std::string_view key,
                   std::vector<std::string>& out) {
    const toml::node* node = t.get(key);
    if (node == nullptr)
      return;
    if (!node->is_array()) {
      problem(node, join(path, key), "an array of strings", describe(*node));
      return;
    }
    out.clear();
    std::size_t i = 0;
    for (auto&& item : *node->as_array()) {
      if (!item.is_string())
        problem(&item, join(path, key) + "[" + std::to_string(i) + "]", "a string", describe(item));
      else
        out.push_back(item.as_string()->get());
      ++i;
    }
  }

  /// A UTC instant: a TOML offset date-time, or an RFC 3339 string.
  bool instant(const toml::table& t, const std::string& path, std::string_view key,
               timestamp_ns& out) {
    const toml::node* node = t.get(key);
    if (node == nullptr) {
      problem(nullptr, join(path, key), "a UTC date-time such as 2012-02-03T13:30:00Z",
              "nothing (missing key)");
      return false;
    }
    std::optional<toml::date_time> dt;
    if (node->is_date_time())
      dt = node->as_date_time()->get();
    else if (node->is_string()) {
      try {
        const toml::table parsed = toml::parse("v = " + node->as_string()->get());
        if (parsed.get("v") != nullptr && parsed.get("v")->is_date_time())
          dt = parsed.get("v")->as_date_time()->get();
      } catch (const toml::parse_error&) {
        // reported below
      }
    }
    if (!dt || !dt->offset) {
      problem(node, join(path, key), "a UTC date-time with offset such as 2012-02-03T13:30:00Z",
              describe(*node));
      return false;
    }
    const std::int64_t days = days_from_civil(dt->date.year, dt->date.month, dt->date.day);
    const std::int64_t secs = days * 86400 + std::int64_t{dt->time.hour} * 3600 +
                              std::int64_t{dt->time.minute} * 60 + dt->time.second -
                              std::int64_t{dt->offset->minutes} * 60;
    out = secs * 1'000'000'000 + dt->time.nanosecond;
    return true;
  }

private:
  std::string source_;
};

void read_session(reader& r, const toml::table& t, session_settings& s) {
  const std::string p = "session";
  r.check_keys(t, p, {"name", "mode", "seed", "operator", "run_reason"});
  r.string(t, p, "name", s.name);
  std::string mode = to_string(s.mode);
  r.string(t, p, "mode", mode, {"paper", "shadow", "live"});
  s.mode = mode == "shadow" ? session_mode::shadow
                            : (mode == "live" ? session_mode::live : session_mode::paper);
  r.integer(t, p, "seed", s.seed, 0, std::numeric_limits<std::int64_t>::max());
  r.string(t, p, "operator", s.operator_id);
  r.string(t, p, "run_reason", s.run_reason);
  if (s.name.empty())
    r.problem(t.get("name"), "session.name", "a non-empty string", "an empty string");
}

void read_instruments(reader& r, const toml::table& root, std::vector<instrument_spec>& out) {
  const toml::node* node = root.get("instruments");
  if (node == nullptr)
    return;  // keep defaults
  if (!node->is_array_of_tables()) {
    r.problem(node, "instruments", "an array of tables ([[instruments]])", describe(*node));
    return;
  }
  out.clear();
  std::set<std::string> seen;
  std::size_t i = 0;
  for (auto&& item : *node->as_array()) {
    const std::string p = "instruments[" + std::to_string(i++) + "]";
    const toml::table& t = *item.as_table();
    r.check_keys(t, p, {"symbol", "tick_size", "lot_size", "currency"});
    instrument_spec spec;
    spec.currency = "USD";
    r.string(t, p, "symbol", spec.symbol);
    if (spec.symbol.empty())
      r.problem(&t, p + ".symbol", "a non-empty string", "nothing");
    else if (!seen.insert(spec.symbol).second)
      r.problem(t.get("symbol"), p + ".symbol", "a unique symbol", "\"" + spec.symbol + "\" again");
    if (const std::string flaw = symbol_flaw(spec.symbol); !flaw.empty())
      r.problem(t.get("symbol"), p + ".symbol",
                "a symbol without commas, quotes or control characters", flaw);
    double tick = 0.01;
    double lot = 0.001;
    r.number(t, p, "tick_size", tick, 0.0, 1e6, true);
    r.number(t, p, "lot_size", lot, 0.0, 1e9, true);
    spec.tick_size = fixed::make_price(tick);
    spec.lot_size = fixed::make_quantity(lot);
    if (spec.tick_size.raw <= 0)
      r.problem(t.get("tick_size"), p + ".tick_size", "at least 1e-8", format_double(tick));
    if (spec.lot_size.raw <= 0)
      r.problem(t.get("lot_size"), p + ".lot_size", "at least 1e-8", format_double(lot));
    r.string(t, p, "currency", spec.currency);
    out.push_back(spec);
  }
  if (out.empty())
    r.problem(node, "instruments", "at least one [[instruments]] entry", "an empty array");
}

void read_market_data(reader& r, const toml::table& t, market_data_settings& m) {
  const std::string p = "market_data";
  r.check_keys(t, p,
               {"source", "files", "speed", "gap_threshold_ms", "stale_after_ms", "jump_sigma",
                "synthetic"});
  r.string(t, p, "source", m.source, {"synthetic", "replay"});
  r.string_list(t, p, "files", m.files);
  r.string(t, p, "speed", m.speed);
  if (double speed = 0; !marketdata::parse_speed(m.speed, speed))
    r.problem(t.get("speed"), p + ".speed",
              "\"max\" or a positive multiple of event time such as \"1x\", \"10x\", \"0.5x\"",
              "\"" + m.speed + "\"");
  std::int64_t ms = m.gap_threshold_ns / 1'000'000;
  r.integer(t, p, "gap_threshold_ms", ms, 1, 86'400'000);
  m.gap_threshold_ns = ms * 1'000'000;
  ms = m.stale_after_ns / 1'000'000;
  r.integer(t, p, "stale_after_ms", ms, 1, 604'800'000);
  m.stale_after_ns = ms * 1'000'000;
  r.number(t, p, "jump_sigma", m.jump_sigma, 1.0, 1000.0);
  if (m.source == "replay" && m.files.empty() && t.get("source") != nullptr)
    r.problem(t.get("source"), p + ".files", "at least one file when source = \"replay\"", "none");
  if (const toml::table* s = r.table(t, p, "synthetic")) {
    const std::string sp = p + ".synthetic";
    auto& c = m.synthetic;
    r.check_keys(*s, sp,
                 {"events", "start_price", "volatility", "mean_interval_ms", "spread_ticks",
                  "trade_probability", "regime_length", "fault_gap", "fault_spike", "fault_crossed",
                  "fault_stale"});
    r.integer(*s, sp, "events", c.events, 1, 10'000'000'000);
    r.number(*s, sp, "start_price", c.start_price, 0.0, 1e9, true);
    r.number(*s, sp, "volatility", c.volatility, 0.0, 0.1, true);
    double interval_ms = static_cast<double>(c.mean_interval_ns) / 1e6;
    if (r.number(*s, sp, "mean_interval_ms", interval_ms, 0.0, 3.6e6, true))
      c.mean_interval_ns = static_cast<std::int64_t>(interval_ms * 1e6);
    r.number(*s, sp, "spread_ticks", c.spread_ticks, 0.0, 1e6, true);
    r.number(*s, sp, "trade_probability", c.trade_probability, 0.0, 1.0);
    r.integer(*s, sp, "regime_length", c.regime_length, 1, 1'000'000'000);
    r.number(*s, sp, "fault_gap", c.fault_gap, 0.0, 1.0);
    r.number(*s, sp, "fault_spike", c.fault_spike, 0.0, 1.0);
    r.number(*s, sp, "fault_crossed", c.fault_crossed, 0.0, 1.0);
    r.number(*s, sp, "fault_stale", c.fault_stale, 0.0, 1.0);
  }
}

void read_outlook(reader& r, const toml::table& t, strategy::outlook_config& o) {
  const std::string p = "outlook";
  r.check_keys(t, p,
               {"fast_period", "slow_period", "spread_spike_ratio", "volatility_spike_ratio",
                "emit_interval_s", "blackout"});
  r.integer(t, p, "fast_period", o.fast_period, 1, 100'000);
  r.integer(t, p, "slow_period", o.slow_period, 2, 1'000'000);
  if (o.fast_period >= o.slow_period)
    r.problem(t.get("slow_period"), p + ".slow_period",
              "greater than fast_period (" + std::to_string(o.fast_period) + ")",
              std::to_string(o.slow_period));
  r.number(t, p, "spread_spike_ratio", o.spread_spike_ratio, 1.0, 1000.0, true);
  r.number(t, p, "volatility_spike_ratio", o.volatility_spike_ratio, 1.0, 1000.0, true);
  std::int64_t emit_s = o.emit_interval_ns / 1'000'000'000;
  r.integer(t, p, "emit_interval_s", emit_s, 1, 86'400);
  o.emit_interval_ns = emit_s * 1'000'000'000;
  if (const toml::node* node = t.get("blackout")) {
    if (!node->is_array_of_tables()) {
      r.problem(node, p + ".blackout", "an array of tables ([[outlook.blackout]])",
                describe(*node));
      return;
    }
    o.blackouts.clear();
    std::size_t i = 0;
    for (auto&& item : *node->as_array()) {
      const std::string bp = p + ".blackout[" + std::to_string(i++) + "]";
      const toml::table& b = *item.as_table();
      r.check_keys(b, bp, {"start", "end", "label"});
      strategy::blackout_window w;
      const bool ok = r.instant(b, bp, "start", w.start) & r.instant(b, bp, "end", w.end);
      r.string(b, bp, "label", w.label);
      if (ok && w.end <= w.start)
        r.problem(b.get("end"), bp + ".end", "later than start", "an end at or before start");
      o.blackouts.push_back(w);
    }
  }
}

void read_strategies(reader& r, const toml::table& root,
                     const std::vector<instrument_spec>& instruments,
                     std::vector<strategy::strategy_spec>& out) {
  const toml::node* node = root.get("strategies");
  if (node == nullptr)
    return;
  if (!node->is_array_of_tables()) {
    r.problem(node, "strategies", "an array of tables ([[strategies]])", describe(*node));
    return;
  }
  out.clear();
  std::size_t i = 0;
  for (auto&& item : *node->as_array()) {
    const std::string p = "strategies[" + std::to_string(i++) + "]";
    const toml::table& t = *item.as_table();
    strategy::strategy_spec spec;
    spec.order_notional = money{40 * fixed_scale};
    r.string(t, p, "name", spec.name);
    if (spec.name.empty())
      r.problem(&t, p + ".name", "a strategy name (ma_crossover, rsi_reversion, donchian_breakout)",
                "nothing");
    std::string symbol;
    r.string(t, p, "instrument", symbol);
    bool found = false;
    for (std::size_t k = 0; k < instruments.size(); ++k) {
      if (instruments[k].symbol == symbol) {
        spec.instrument = static_cast<instrument_id>(k);
        found = true;
      }
    }
    if (!found) {
      std::string known;
      for (const auto& ins : instruments)
        known += (known.empty() ? "" : ", ") + ins.symbol;
      r.problem(t.get("instrument") ? t.get("instrument") : &t, p + ".instrument",
                "the symbol of a configured instrument (" + known + ")",
                symbol.empty() ? "nothing" : "\"" + symbol + "\"");
    }
    r.amount(t, p, "order_notional", spec.order_notional, 0.0, 1e12, true);
    for (auto&& [key, value] : t) {
      const std::string k(key.str());
      if (k == "name" || k == "instrument" || k == "order_notional")
        continue;
      double v = 0;
      if (r.number(t, p, k, v, -1e12, 1e12))
        spec.params[k] = v;
    }
    out.push_back(spec);
  }
  if (r.problems.empty()) {
    const std::string why = strategy::validate_strategies(out, instruments.size());
    if (!why.empty())
      r.problem(node, "strategies", "valid strategy parameters", why);
  }
}

void read_risk(reader& r, const toml::table& t, risk::risk_limits& l) {
  const std::string p = "risk";
  r.check_keys(t, p,
               {"max_order_notional", "max_total_exposure", "max_daily_loss", "max_open_positions",
                "max_orders_per_second", "max_orders_per_minute", "price_band_bps",
                "stale_after_ms", "trading_day_offset_hours", "enforce_limits", "allow_override"});
  r.amount(t, p, "max_order_notional", l.max_order_notional, 0.0, 1e9, true);
  r.amount(t, p, "max_total_exposure", l.max_total_exposure, 0.0, 1e10, true);
  r.amount(t, p, "max_daily_loss", l.max_daily_loss, 0.0, 1e9, true);
  r.integer(t, p, "max_open_positions", l.max_open_positions, 1, 1000);
  r.integer(t, p, "max_orders_per_second", l.max_orders_per_second, 1, 100'000);
  r.integer(t, p, "max_orders_per_minute", l.max_orders_per_minute, 1, 6'000'000);
  r.integer(t, p, "price_band_bps", l.price_band_bps, 1, 10'000);
  std::int64_t stale_ms = l.stale_after_ns / 1'000'000;
  r.integer(t, p, "stale_after_ms", stale_ms, 1, 86'400'000);
  l.stale_after_ns = stale_ms * 1'000'000;
  std::int64_t offset_h = l.trading_day_offset_ns / 3'600'000'000'000;
  r.integer(t, p, "trading_day_offset_hours", offset_h, -23, 23);
  l.trading_day_offset_ns = offset_h * 3'600'000'000'000;
  if (l.max_order_notional.raw > l.max_total_exposure.raw)
    r.problem(t.get("max_order_notional"), p + ".max_order_notional",
              "at most max_total_exposure (" + format_money(l.max_total_exposure) + ")",
              format_money(l.max_order_notional));
  // Limits are always enforced and can never be overridden: only these values are accepted.
  bool enforce = true;
  bool override_allowed = false;
  r.boolean(t, p, "enforce_limits", enforce);
  r.boolean(t, p, "allow_override", override_allowed);
  if (!enforce)
    r.problem(t.get("enforce_limits"), p + ".enforce_limits",
              "true (limits cannot be switched off)", "false");
  if (override_allowed)
    r.problem(t.get("allow_override"), p + ".allow_override", "false (limits cannot be overridden)",
              "true");
}

void read_broker_faults(reader& r, const toml::table& t, broker_settings& b) {
  const std::string p = "broker.faults";
  std::vector<std::string_view> names;
  for (std::size_t i = 0; i < broker::fault_count; ++i)
    names.emplace_back(broker::to_string(static_cast<broker::fault>(i)));
  r.check_keys(t, p, names);
  for (std::size_t i = 0; i < broker::fault_count; ++i)
    r.integer(t, p, names[i], b.faults[i], 0, 1'000'000);
}

void read_broker(reader& r, const toml::table& t, broker_settings& b) {
  const std::string p = "broker";
  r.check_keys(t, p,
               {"latency_ms", "slippage_bps", "fee_bps", "starting_cash", "partial_fills", "faults"});
  if (const toml::table* f = r.table(t, p, "faults"))
    read_broker_faults(r, *f, b);
  double latency_ms = static_cast<double>(b.latency_ns) / 1e6;
  if (r.number(t, p, "latency_ms", latency_ms, 0.0, 60'000.0))
    b.latency_ns = static_cast<std::int64_t>(latency_ms * 1e6);
  r.number(t, p, "slippage_bps", b.slippage_bps, 0.0, 1000.0);
  r.number(t, p, "fee_bps", b.fee_bps, 0.0, 1000.0);
  r.amount(t, p, "starting_cash", b.starting_cash, 0.0, 1e12, true);
  r.boolean(t, p, "partial_fills", b.partial_fills);
}

void read_kill_switch(reader& r, const toml::table& t, kill_switch_settings& k) {
  const std::string p = "kill_switch";
  r.check_keys(t, p, {"flatten_on_halt"});
  r.boolean(t, p, "flatten_on_halt", k.flatten_on_halt);
}

void read_metrics(reader& r, const toml::table& t, metrics_settings& m) {
  const std::string p = "metrics";
  r.check_keys(t, p, {"bind", "port", "enabled"});
  r.string(t, p, "bind", m.bind);
  r.integer(t, p, "port", m.port, 0, 65535);
  r.boolean(t, p, "enabled", m.enabled);
}

void read_live(reader& r, const toml::table& t, live_settings& l) {
  const std::string p = "live";
  r.check_keys(t, p, {"enable", "account", "allowlist", "venue"});
  r.boolean(t, p, "enable", l.enable);
  r.string(t, p, "account", l.account);
  r.string_list(t, p, "allowlist", l.allowlist);
  r.string(t, p, "venue", l.venue);
}

}  // namespace

config_error::config_error(std::vector<std::string> problems)
    : std::runtime_error(problems.empty() ? "invalid configuration" : problems.front()),
      problems_(std::move(problems)) {}

const char* to_string(session_mode mode) noexcept {
  switch (mode) {
    case session_mode::paper:
      return "paper";
    case session_mode::shadow:
      return "shadow";
    case session_mode::live:
      return "live";
  }
  return "unknown";
}

session_config default_config() {
  session_config c;
  c.instruments.push_back(
      instrument_spec{"SYN-A", fixed::make_price(0.01), fixed::make_quantity(0.001), "USD"});
  strategy::strategy_spec ma;
  ma.name = "ma_crossover";
  ma.instrument = 0;
  ma.params = {{"fast", 20.0}, {"slow", 80.0}};
  ma.order_notional = money{40 * fixed_scale};
  c.strategies.push_back(ma);
  return c;
}

session_config parse_config(const std::string& text, const std::string& source_name) {
  reader r(source_name);
  toml::table root;
  try {
    root = toml::parse(text, source_name);
  } catch (const toml::parse_error& err) {
    std::ostringstream out;
    out << source_name << ':' << err.source().begin.line << ':' << err.source().begin.column
        << ": TOML syntax error: " << err.description();
    throw config_error({out.str()});
  }
  session_config c = default_config();
  c.source_path = source_name;
  r.check_keys(root, "",
               {"session", "instruments", "market_data", "outlook", "strategies", "risk", "broker",
                "kill_switch", "metrics", "live"});
  if (const toml::table* t = r.table(root, "", "session"))
    read_session(r, *t, c.session);
  read_instruments(r, root, c.instruments);
  if (const toml::table* t = r.table(root, "", "market_data"))
    read_market_data(r, *t, c.market_data);
  c.market_data.synthetic.instruments = static_cast<std::uint32_t>(c.instruments.size());
  if (!c.instruments.empty()) {
    c.market_data.synthetic.tick_size = fixed::to_double(c.instruments.front().tick_size.raw);
    c.market_data.synthetic.lot_size = fixed::to_double(c.instruments.front().lot_size.raw);
  }
  if (const toml::table* t = r.table(root, "", "outlook"))
    read_outlook(r, *t, c.outlook);
  read_strategies(r, root, c.instruments, c.strategies);
  if (const toml::table* t = r.table(root, "", "risk"))
    read_risk(r, *t, c.risk);
  for (std::size_t i = 0; i < c.strategies.size(); ++i) {
    if (c.strategies[i].order_notional.raw > c.risk.max_order_notional.raw)
      r.problem(nullptr, "strategies[" + std::to_string(i) + "].order_notional",
                "at most risk.max_order_notional (" + format_money(c.risk.max_order_notional) + ")",
                format_money(c.strategies[i].order_notional));
  }
  if (const toml::table* t = r.table(root, "", "broker"))
    read_broker(r, *t, c.broker);
  if (const toml::table* t = r.table(root, "", "kill_switch"))
    read_kill_switch(r, *t, c.kill_switch);
  if (const toml::table* t = r.table(root, "", "metrics"))
    read_metrics(r, *t, c.metrics);
  if (const toml::table* t = r.table(root, "", "live"))
    read_live(r, *t, c.live);
  if (!r.problems.empty())
    throw config_error(std::move(r.problems));
  return c;
}

session_config load_config(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw config_error({path + ": is a directory, expected a TOML config file"});
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw config_error({path + ": cannot open config file (missing or unreadable)"});
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad())
    throw config_error({path + ": error while reading config file"});
  return parse_config(buf.str(), path);
}

std::string to_toml(const session_config& c) {
  std::ostringstream o;
  auto q = [](const std::string& s) {
    std::string out = "\"";
    for (char ch : s) {
      if (ch == '"' || ch == '\\')
        out += '\\';
      out += ch;
    }
    return out + "\"";
  };
  o << "# Peak Trade session config snapshot (canonical form)\n\n";
  o << "[session]\nname = " << q(c.session.name) << "\nmode = " << q(to_string(c.session.mode))
    << "\nseed = " << c.session.seed << "\noperator = " << q(c.session.operator_id)
    << "\nrun_reason = " << q(c.session.run_reason) << "\n\n";
  for (const auto& ins : c.instruments) {
    o << "[[instruments]]\nsymbol = " << q(ins.symbol)
      << "\ntick_size = " << format_money(money{ins.tick_size.raw})
      << "\nlot_size = " << format_money(money{ins.lot_size.raw})
      << "\ncurrency = " << q(ins.currency) << "\n\n";
  }
  const auto& m = c.market_data;
  o << "[market_data]\nsource = " << q(m.source) << "\nfiles = [";
  for (std::size_t i = 0; i < m.files.size(); ++i)
    o << (i ? ", " : "") << q(m.files[i]);
  o << "]\nspeed = " << q(m.speed) << "\ngap_threshold_ms = " << m.gap_threshold_ns / 1'000'000
    << "\nstale_after_ms = " << m.stale_after_ns / 1'000'000
    << "\njump_sigma = " << format_double(m.jump_sigma) << "\n\n";
  const auto& s = m.synthetic;
  o << "[market_data.synthetic]\nevents = " << s.events
    << "\nstart_price = " << format_double(s.start_price)
    << "\nvolatility = " << format_double(s.volatility)
    << "\nmean_interval_ms = " << format_double(static_cast<double>(s.mean_interval_ns) / 1e6)
    << "\nspread_ticks = " << format_double(s.spread_ticks)
    << "\ntrade_probability = " << format_double(s.trade_probability)
    << "\nregime_length = " << s.regime_length << "\nfault_gap = " << format_double(s.fault_gap)
    << "\nfault_spike = " << format_double(s.fault_spike)
    << "\nfault_crossed = " << format_double(s.fault_crossed)
    << "\nfault_stale = " << format_double(s.fault_stale) << "\n\n";
  const auto& ol = c.outlook;
  o << "[outlook]\nfast_period = " << ol.fast_period << "\nslow_period = " << ol.slow_period
    << "\nspread_spike_ratio = " << format_double(ol.spread_spike_ratio)
    << "\nvolatility_spike_ratio = " << format_double(ol.volatility_spike_ratio)
    << "\nemit_interval_s = " << ol.emit_interval_ns / 1'000'000'000 << "\n\n";
  for (const auto& b : ol.blackouts) {
    o << "[[outlook.blackout]]\nstart = " << format_instant(b.start)
      << "\nend = " << format_instant(b.end) << "\nlabel = " << q(b.label) << "\n\n";
  }
  for (const auto& st : c.strategies) {
    o << "[[strategies]]\nname = " << q(st.name)
      << "\ninstrument = " << q(c.instruments.at(st.instrument).symbol)
      << "\norder_notional = " << format_money(st.order_notional) << "\n";
    for (const auto& [k, v] : st.params)
      o << k << " = " << format_double(v) << "\n";
    o << "\n";
  }
  const auto& r = c.risk;
  o << "[risk]\nmax_order_notional = " << format_money(r.max_order_notional)
    << "\nmax_total_exposure = " << format_money(r.max_total_exposure)
    << "\nmax_daily_loss = " << format_money(r.max_daily_loss)
    << "\nmax_open_positions = " << r.max_open_positions
    << "\nmax_orders_per_second = " << r.max_orders_per_second
    << "\nmax_orders_per_minute = " << r.max_orders_per_minute
    << "\nprice_band_bps = " << r.price_band_bps
    << "\nstale_after_ms = " << r.stale_after_ns / 1'000'000
    << "\ntrading_day_offset_hours = " << r.trading_day_offset_ns / 3'600'000'000'000
    << "\nenforce_limits = true\nallow_override = false\n\n";
  const auto& b = c.broker;
  o << "[broker]\nlatency_ms = " << format_double(static_cast<double>(b.latency_ns) / 1e6)
    << "\nslippage_bps = " << format_double(b.slippage_bps)
    << "\nfee_bps = " << format_double(b.fee_bps)
    << "\nstarting_cash = " << format_money(b.starting_cash)
    << "\npartial_fills = " << (b.partial_fills ? "true" : "false") << "\n\n";
  if (std::any_of(b.faults.begin(), b.faults.end(), [](std::uint32_t n) { return n != 0; })) {
    o << "[broker.faults]\n";
    for (std::size_t i = 0; i < broker::fault_count; ++i)
      if (b.faults[i] != 0)
        o << broker::to_string(static_cast<broker::fault>(i)) << " = " << b.faults[i] << "\n";
    o << "\n";
  }
  o << "[kill_switch]\nflatten_on_halt = " << (c.kill_switch.flatten_on_halt ? "true" : "false")
    << "\n\n";
  o << "[metrics]\nbind = " << q(c.metrics.bind) << "\nport = " << c.metrics.port
    << "\nenabled = " << (c.metrics.enabled ? "true" : "false") << "\n\n";
  o << "[live]\nenable = " << (c.live.enable ? "true" : "false")
    << "\naccount = " << q(c.live.account) << "\nallowlist = [";
  for (std::size_t i = 0; i < c.live.allowlist.size(); ++i)
    o << (i ? ", " : "") << q(c.live.allowlist[i]);
  o << "]\nvenue = " << q(c.live.venue) << "\n";
  return o.str();
}

}  // namespace peak::config
