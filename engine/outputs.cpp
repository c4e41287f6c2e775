#include "engine/outputs.hpp"

#include <cerrno>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "engine/format.hpp"
#include "evidence/json.hpp"
#include "messages/names.hpp"

namespace peak::engine {
namespace {

/// Config text lands in CSV cells: escaped and formula-neutralised (csv_field()).
std::string symbol_of(const config::session_config& config, instrument_id id) {
  return id < config.instruments.size() ? csv_field(config.instruments[id].symbol) : "?";
}

std::string strategy_of(const config::session_config& config, std::uint16_t id) {
  return id < config.strategies.size()
             ? csv_field(config.strategies[id].name + "#" + std::to_string(id))
             : "?";
}

std::string fx(std::int64_t raw) {
  return format_fixed(raw);
}

std::string money_text(money m) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.2f", fixed::to_double(m.raw));
  return buf;
}

/// metrics.json "input": line counts of the replayed files ({"replayed": false} otherwise).
std::string input_json(const input_counters& in) {
  if (!in.replayed)
    return "{\"replayed\": false}";
  std::string o = "{\"replayed\": true, \"files\": " + std::to_string(in.files) +
                  ", \"lines\": " + std::to_string(in.lines) +
                  ", \"data_lines\": " + std::to_string(in.data_lines) +
                  ", \"non_data_skipped\": " + std::to_string(in.non_data) +
                  ", \"blank\": " + std::to_string(in.blank) +
                  ", \"malformed\": " + std::to_string(in.malformed) +
                  ", \"unknown_symbol\": " + std::to_string(in.unknown_symbol) +
                  ", \"events\": " + std::to_string(in.events) + ", \"first_malformed\": [";
  for (std::size_t i = 0; i < in.first_malformed.size(); ++i) {
    const input_line_problem& m = in.first_malformed[i];
    o += std::string(i ? ", " : "") + "{\"file\": " + evidence::json_quote(m.file) +
         ", \"line\": " + std::to_string(m.line) +
         ", \"reason\": " + evidence::json_quote(m.reason) + "}";
  }
  o += "], \"unknown_symbols\": [";
  for (std::size_t i = 0; i < in.unknown_symbols.size(); ++i)
    o += std::string(i ? ", " : "") + evidence::json_quote(in.unknown_symbols[i]);
  return o + "]}";
}

/// Summary lines about the replayed input: counts, the first malformed lines as
/// file:line: reason, and a warning when the replay produced no market events.
std::string input_text(const input_counters& in) {
  if (!in.replayed)
    return {};
  std::ostringstream o;
  o << "  input        " << in.files << (in.files == 1 ? " file, " : " files, ") << in.lines
    << " lines read: " << in.data_lines << " data, " << in.non_data << " non-data skipped, "
    << in.malformed << " malformed, " << in.blank << " blank, " << in.unknown_symbol
    << " unknown symbol\n";
  for (const input_line_problem& m : in.first_malformed)
    o << "  malformed    " << m.file << ':' << m.line << ": " << m.reason << "\n";
  if (in.malformed > in.first_malformed.size())
    o << "               ... and " << in.malformed - in.first_malformed.size()
      << " more malformed line(s) (counted, not shown)\n";
  if (!in.unknown_symbols.empty()) {
    o << "  unknown      symbols skipped:";
    for (const std::string& sym : in.unknown_symbols)
      o << ' ' << sym;
    o << "\n";
  }
  if (in.events == 0)
    o << "  WARNING      the replay produced no market events: nothing was traded or checked\n";
  return o.str();
}

}  // namespace

std::string trades_csv(const session_result& r, const config::session_config& config) {
  std::string out =
      "seq,ts_event_ns,time_utc,client_order_id,intent_id,strategy,instrument,side,qty,price,"
      "fee,position_after,cash_after\n";
  for (const trade_row& t : r.trades) {
    out += std::to_string(t.seq) + ',' + std::to_string(t.ts_event) + ',' +
           format_time(t.ts_event) + ',' + std::to_string(t.client_order_id) + ',' +
           std::to_string(t.intent_id) + ',' + strategy_of(config, t.strategy) + ',' +
           symbol_of(config, t.instrument) + ',' + name_of(t.direction) + ',' + fx(t.qty.raw) +
           ',' + fx(t.px.raw) + ',' + fx(t.fee.raw) + ',' + fx(t.position_after.raw) + ',' +
           fx(t.cash_after.raw) + '\n';
  }
  return out;
}

void append_equity_row(std::string& out, const equity_row& e) {
  out += std::to_string(e.ts_event);
  out += ',';
  out += format_time(e.ts_event);
  out += ',';
  out += fx(e.cash.raw);
  out += ',';
  out += fx(e.equity.raw);
  out += ',';
  out += fx(e.realised_pnl.raw);
  out += ',';
  out += fx(e.exposure.raw);
  out += '\n';
}

std::string equity_csv(const session_result& r) {
  std::string out(equity_csv_header);
  for (const equity_row& e : r.equity)
    append_equity_row(out, e);
  return out;
}

namespace {
constexpr std::size_t equity_stream_chunk = std::size_t{64} << 10;
}  // namespace

equity_csv_stream::equity_csv_stream(const std::filesystem::path& path)
    : file_(std::fopen(path.c_str(), "wb")) {
  if (file_ == nullptr)
    throw std::runtime_error("cannot create " + path.string() + ": " +
                             std::generic_category().message(errno));
  buffer_.reserve(equity_stream_chunk + 256);
  buffer_.append(equity_csv_header);
}

equity_csv_stream::~equity_csv_stream() {
  (void)close();
}

void equity_csv_stream::write_out() noexcept {
  if (file_ != nullptr && !buffer_.empty() && !error_ &&
      std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
    error_ = std::error_code(errno != 0 ? errno : EIO, std::generic_category());
  buffer_.clear();
}

void equity_csv_stream::append(const equity_row& row) noexcept {
  try {
    append_equity_row(buffer_, row);
  } catch (...) {  // out of memory formatting one row: the file is incomplete
    if (!error_)
      error_ = std::make_error_code(std::errc::not_enough_memory);
  }
  ++rows_;
  if (buffer_.size() >= equity_stream_chunk)
    write_out();
}

std::error_code equity_csv_stream::close() noexcept {
  if (file_ == nullptr)
    return error_;
  write_out();
  if (std::fclose(file_) != 0 && !error_)
    error_ = std::error_code(errno != 0 ? errno : EIO, std::generic_category());
  file_ = nullptr;
  return error_;
}

std::string orders_csv(const session_result& r, const config::session_config& config) {
  std::string out =
      "client_order_id,intent_id,strategy,instrument,side,type,reduce_only,qty,limit,"
      "approved_ns,accepted_ns,first_fill_ns,done_ns,state,filled_qty,avg_price,fees,"
      "reject_code,reports\n";
  for (const order_row& o : r.orders) {
    std::int64_t avg = 0;
    if (o.filled.raw != 0)
      avg = static_cast<std::int64_t>(static_cast<fixed::wide>(o.filled_notional.raw) *
                                      fixed_scale / o.filled.raw);
    out += std::to_string(o.client_order_id) + ',' + std::to_string(o.intent_id) + ',' +
           strategy_of(config, o.strategy) + ',' + symbol_of(config, o.instrument) + ',' +
           name_of(o.direction) + ',' + name_of(o.type) + ',' + (o.reduce_only ? "true" : "false") +
           ',' + fx(o.qty.raw) + ',' + fx(o.limit.raw) + ',' + std::to_string(o.ts_approved) + ',' +
           std::to_string(o.ts_accepted) + ',' + std::to_string(o.ts_first_fill) + ',' +
           std::to_string(o.ts_done) + ',' + csv_field(o.state) + ',' + fx(o.filled.raw) + ',' +
           fx(avg) + ',' + fx(o.fees.raw) + ',' + std::to_string(o.reject_code) + ',' +
           std::to_string(o.reports) + '\n';
  }
  return out;
}

std::string metrics_json(const session_result& r, const config::session_config& config,
                         const run_timing& timing) {
  const session_counters& c = r.counters;
  std::ostringstream o;
  o << "{\n";
  o << "  \"mode\": \"" << config::to_string(config.session.mode) << "\",\n";
  o << "  \"events\": " << c.events << ",\n";
  o << "  \"events_by_kind\": {\"trade\": " << c.events_by_kind[0]
    << ", \"quote\": " << c.events_by_kind[1] << ", \"bar\": " << c.events_by_kind[2]
    << ", \"book\": " << c.events_by_kind[3] << "},\n";
  o << "  \"events_flagged\": " << c.events_flagged << ",\n";
  o << "  \"quality_flags\": {";
  for (unsigned i = 0; i < c.quality_flags.size(); ++i)
    o << (i ? ", " : "") << '"' << quality_flag_name(i) << "\": " << c.quality_flags[i];
  o << "},\n";
  o << "  \"input\": " << input_json(r.input) << ",\n";
  o << "  \"outlooks\": " << c.outlooks << ",\n";
  o << "  \"intents\": " << c.intents << ",\n  \"entries\": " << c.entries
    << ",\n  \"exits\": " << c.exits << ",\n";
  o << "  \"approvals\": " << c.approvals << ",\n  \"denials\": " << c.denials << ",\n";
  o << "  \"denials_by_reason\": {";
  bool first = true;
  for (std::uint16_t i = 1; i < deny_reason_count; ++i) {
    o << (first ? "" : ", ") << '"' << name_of(static_cast<deny_reason>(i))
      << "\": " << c.denials_by_reason[i];
    first = false;
  }
  o << "},\n";
  o << "  \"orders_sent\": " << c.orders_sent << ",\n  \"orders_recorded\": " << c.orders_recorded
    << ",\n";
  o << "  \"reports_by_kind\": {";
  for (unsigned i = 0; i < c.reports_by_kind.size(); ++i)
    o << (i ? ", " : "") << '"' << name_of(static_cast<report_kind>(i))
      << "\": " << c.reports_by_kind[i];
  o << "},\n";
  o << "  \"fills\": " << c.fills << ",\n";
  o << "  \"reconcile_checks\": " << c.reconcile_checks
    << ",\n  \"reconcile_mismatches\": " << c.reconcile_mismatches << ",\n";
  o << "  \"first_event_ns\": " << c.first_event_ts << ",\n  \"last_event_ns\": " << c.last_event_ts
    << ",\n";
  o << "  \"starting_cash\": \"" << fx(r.starting_cash.raw) << "\",\n";
  o << "  \"final_cash\": \"" << fx(r.final_cash.raw) << "\",\n";
  o << "  \"final_equity\": \"" << fx(r.final_equity.raw) << "\",\n";
  o << "  \"pnl\": \"" << fx(r.final_equity.raw - r.starting_cash.raw) << "\",\n";
  o << "  \"realised_pnl\": \"" << fx(r.realised_pnl.raw) << "\",\n";
  o << "  \"fees_paid\": \"" << fx(r.fees_paid.raw) << "\",\n";
  o << "  \"trades\": " << r.trades.size() << ",\n";
  o << "  \"tripwire\": \"" << r.tripwire << "\",\n";
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.6f", timing.wall_seconds);
  o << "  \"wall_clock\": {\"engine\": \"" << timing.engine << "\", \"wall_seconds\": " << buf;
  std::snprintf(buf, sizeof(buf), "%.0f", timing.events_per_second);
  o << ", \"events_per_second\": " << buf << "}\n";
  o << "}\n";
  return o.str();
}

std::string summary_text(const session_result& r, const config::session_config& config,
                         const run_timing& timing) {
  const session_counters& c = r.counters;
  std::ostringstream o;
  const bool shadow = config.session.mode == config::session_mode::shadow;
  o << "Peak Trade " << config::to_string(config.session.mode) << " session '"
    << config.session.name << "' (seed " << config.session.seed << ", engine " << timing.engine
    << ")\n";
  if (c.events > 0)
    o << "  data         " << format_time(c.first_event_ts) << " .. "
      << format_time(c.last_event_ts) << "\n";
  o << "  events       " << c.events << " (trades " << c.events_by_kind[0] << ", quotes "
    << c.events_by_kind[1] << ", bars " << c.events_by_kind[2] << ", book " << c.events_by_kind[3]
    << "), flagged " << c.events_flagged << "\n";
  o << input_text(r.input);
  o << "  outlooks     " << c.outlooks << "\n";
  o << "  intents      " << c.intents << " (entries " << c.entries << ", exits " << c.exits
    << ")\n";
  o << "  risk         approved " << c.approvals << ", denied " << c.denials << "\n";
  for (std::uint16_t i = 1; i < deny_reason_count; ++i)
    if (c.denials_by_reason[i] != 0)
      o << "               denied " << name_of(static_cast<deny_reason>(i)) << ": "
        << c.denials_by_reason[i] << "\n";
  if (shadow)
    o << "  orders       0 sent (shadow mode), " << c.orders_recorded << " recorded as intended\n";
  else
    o << "  orders       " << c.orders_sent << " sent, filled " << c.reports_by_kind[2]
      << ", partially filled " << c.reports_by_kind[1] << ", cancelled " << c.reports_by_kind[3]
      << ", rejected " << c.reports_by_kind[4] << "\n";
  o << "  fills        " << c.fills << "\n";
  o << "  reconcile    " << c.reconcile_checks << " checks, " << c.reconcile_mismatches
    << " mismatches" << (r.tripwire.empty() ? "" : " (TRIPWIRE: " + r.tripwire + ")") << "\n";
  o << "  PnL          " << money_text(money{r.final_equity.raw - r.starting_cash.raw})
    << " (realised " << money_text(r.realised_pnl) << ", fees " << money_text(r.fees_paid)
    << "), equity " << money_text(r.final_equity) << "\n";
  char buf[128];
  std::snprintf(buf, sizeof(buf), "  wall time    %.3f s, %.0f events/s\n", timing.wall_seconds,
                timing.events_per_second);
  o << buf;
  return o.str();
}

}  // namespace peak::engine
