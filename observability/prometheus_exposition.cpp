#include "observability/prometheus_exposition.hpp"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "messages/names.hpp"
#include "prometheus/check_names.h"
#include "prometheus/text_serializer.h"

namespace peak::observability {

namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;
using labels = std::vector<metric_label>;

/// Label names the families use themselves; a constant label must not reuse one.
constexpr const char* own_label_names[] = {"type",    "kind",     "instrument", "regime",
                                           "trigger", "strategy", "decision",   "reason",
                                           "state",   "side",     "stage",      "le"};

/// no_trade_trigger bit -> label value (messages/names.hpp has no name for these yet).
constexpr const char* no_trade_trigger_name(std::size_t bit) noexcept {
  constexpr const char* names[] = {"spread_spike", "volatility_spike", "data_quality",
                                   "news_blackout", "warming_up"};
  return bit < 5 ? names[bit] : "unknown";
}

constexpr double ns_to_seconds(std::int64_t ns) noexcept {
  return static_cast<double>(ns) / 1e9;
}

/// Builds one family at a time; every series gets the constant labels first.
class family_builder {
public:
  explicit family_builder(const labels& constant) : constant_(constant) {}

  MetricFamily& begin(const char* name, const char* help, MetricType type) {
    auto& f = out_.emplace_back();
    f.name = name;
    f.help = help;
    f.type = type;
    return f;
  }

  ClientMetric& series(MetricFamily& f, const char* label = nullptr, std::string value = {}) {
    auto& m = f.metric.emplace_back();
    m.label.reserve(constant_.size() + 1);
    for (const auto& [n, v] : constant_) {
      m.label.push_back({n, v});
    }
    if (label != nullptr) {
      m.label.push_back({label, std::move(value)});
    }
    return m;
  }

  void counter(MetricFamily& f, std::uint64_t v, const char* label = nullptr,
               std::string value = {}) {
    series(f, label, std::move(value)).counter.value = static_cast<double>(v);
  }

  void gauge(MetricFamily& f, double v, const char* label = nullptr, std::string value = {}) {
    series(f, label, std::move(value)).gauge.value = v;
  }

  void histogram(MetricFamily& f, const latency_histogram& h, const char* label = nullptr,
                 std::string value = {}) {
    auto& m = series(f, label, std::move(value));
    const auto& bounds = latency_histogram::bounds_ns();
    m.histogram.bucket.reserve(bounds.size() + 1);
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < bounds.size(); ++i) {
      cumulative += h.bucket(i);
      m.histogram.bucket.push_back({cumulative, ns_to_seconds(bounds[i])});
    }
    cumulative += h.bucket(bounds.size());
    m.histogram.bucket.push_back({cumulative, std::numeric_limits<double>::infinity()});
    m.histogram.sample_count = cumulative;
    m.histogram.sample_sum = ns_to_seconds(h.sum_ns());
  }

  std::vector<MetricFamily> take() { return std::move(out_); }

private:
  const labels& constant_;
  std::vector<MetricFamily> out_;
};

void check_constant_labels(const labels& constant) {
  for (std::size_t i = 0; i < constant.size(); ++i) {
    const auto& name = constant[i].first;
    if (!prometheus::CheckLabelName(name) || name.rfind("__", 0) == 0) {
      throw std::invalid_argument("metrics: invalid constant label name '" + name + "'");
    }
    for (const char* own : own_label_names) {
      if (name == own) {
        throw std::invalid_argument("metrics: constant label '" + name +
                                    "' clashes with a metric label");
      }
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (constant[j].first == name) {
        throw std::invalid_argument("metrics: constant label '" + name + "' given twice");
      }
    }
  }
}

}  // namespace

std::vector<metric_label> session_identity(std::string session_id, std::string mode) {
  return {{"session_id", std::move(session_id)}, {"mode", std::move(mode)}};
}

std::vector<prometheus::MetricFamily> collect_families(const session_metrics& m,
                                                       const labels& constant) {
  family_builder b(constant);
  constexpr auto C = MetricType::Counter;
  constexpr auto G = MetricType::Gauge;
  constexpr auto H = MetricType::Histogram;

  // session
  b.gauge(b.begin("peak_up", "1 while the session runs, 0 once it has stopped.", G), m.up.value());

  // market data
  {
    auto& f = b.begin("peak_market_events_total", "Market events received, by event type.", C);
    for (std::size_t i = 0; i < m.market_events.size(); ++i) {
      b.counter(f, m.market_events[i].value(), "type", name_of(static_cast<event_kind>(i)));
    }
  }
  {
    auto& f = b.begin("peak_quality_faults_total",
                      "Market events carrying a data-quality flag, by flag kind.", C);
    for (std::size_t i = 0; i < m.quality_faults.size(); ++i) {
      b.counter(f, m.quality_faults[i].value(), "kind",
                quality_flag_name(static_cast<unsigned>(i)));
    }
  }

  // L2 outlook
  {
    auto& f = b.begin("peak_outlook_regime",
                      "Current L2 market regime per instrument: 0 neutral, 1 bull, 2 bear.", G);
    for (std::size_t i = 0; i < m.regime.size(); ++i) {
      b.gauge(f, m.regime[i].value(), "instrument", m.instrument_names[i]);
    }
  }
  {
    auto& f = b.begin("peak_outlook_regime_state",
                      "1 for the instrument's current L2 regime, 0 for the others.", G);
    for (std::size_t i = 0; i < m.regime.size(); ++i) {
      const double current = m.regime[i].value();
      for (std::uint8_t r = 0; r < 3; ++r) {
        auto& s = b.series(f, "instrument", m.instrument_names[i]);
        s.label.push_back({"regime", name_of(static_cast<regime>(r))});
        s.gauge.value = current == static_cast<double>(r) ? 1.0 : 0.0;
      }
    }
  }
  {
    auto& f = b.begin("peak_outlook_uncertainty",
                      "L2 regime uncertainty per instrument, 0 (certain) to 1 (no confidence).", G);
    for (std::size_t i = 0; i < m.uncertainty.size(); ++i) {
      b.gauge(f, m.uncertainty[i].value(), "instrument", m.instrument_names[i]);
    }
  }
  {
    auto& f = b.begin("peak_no_trade_active",
                      "1 while the NO-TRADE trigger is active for any instrument, else 0.", G);
    for (std::size_t i = 0; i < m.no_trade_active.size(); ++i) {
      b.gauge(f, m.no_trade_active[i].value(), "trigger", no_trade_trigger_name(i));
    }
  }
  {
    auto& f = b.begin("peak_no_trade_raised_total",
                      "Times a NO-TRADE trigger was raised (inactive to active), by trigger.", C);
    for (std::size_t i = 0; i < m.no_trade_raised.size(); ++i) {
      b.counter(f, m.no_trade_raised[i].value(), "trigger", no_trade_trigger_name(i));
    }
  }

  // L3 advisory
  {
    auto& f = b.begin("peak_hypotheses_total",
                      "Trade hypotheses raised by L3 advisory, by strategy (name#index).", C);
    for (std::size_t i = 0; i < m.hypotheses.size(); ++i) {
      b.counter(f, m.hypotheses[i].value(), "strategy", m.strategy_names[i]);
    }
  }

  // L5 risk
  std::uint64_t denied = 0;
  for (const auto& c : m.risk_denied) {
    denied += c.value();
  }
  {
    auto& f = b.begin("peak_risk_decisions_total",
                      "L5 risk gate decisions on order intents: approved or denied.", C);
    b.counter(f, m.risk_approved.value(), "decision", "approved");
    b.counter(f, denied, "decision", "denied");
  }
  {
    auto& f = b.begin("peak_risk_denials_total", "L5 risk gate denials, by reason code.", C);
    for (std::size_t i = 1; i < m.risk_denied.size(); ++i) {  // 0 is deny_reason::none
      b.counter(f, m.risk_denied[i].value(), "reason", name_of(static_cast<deny_reason>(i)));
    }
  }

  // orders
  {
    auto& f = b.begin("peak_orders_total",
                      "Order lifecycle events: orders submitted to the broker and execution "
                      "reports received, by state.",
                      C);
    b.counter(f, m.orders_submitted.value(), "state", "submitted");
    for (std::size_t i = 0; i < m.order_reports.size(); ++i) {
      b.counter(f, m.order_reports[i].value(), "state", name_of(static_cast<report_kind>(i)));
    }
  }
  {
    auto& f = b.begin("peak_orders_submitted_total", "Orders submitted to the broker, by side.", C);
    for (std::size_t i = 0; i < m.orders_by_side.size(); ++i) {
      b.counter(f, m.orders_by_side[i].value(), "side", name_of(static_cast<side>(i)));
    }
  }
  b.counter(b.begin("peak_orders_shadow_recorded_total",
                    "Approved orders recorded but not sent (shadow mode).", C),
            m.orders_shadow_recorded.value());

  // latency
  {
    auto& f = b.begin("peak_stage_latency_seconds",
                      "Wall-clock processing time of one message in a pipeline stage.", H);
    for (std::size_t i = 0; i < m.stage_latency.size(); ++i) {
      b.histogram(f, m.stage_latency[i], "stage", name_of(static_cast<stage>(i)));
    }
  }
  b.histogram(b.begin("peak_tick_to_order_seconds",
                      "Wall-clock time from a market event's arrival to the order it caused "
                      "leaving execution.",
                      H),
              m.tick_to_order);
  b.histogram(b.begin("peak_broker_round_trip_seconds",
                      "Wall-clock time from order submission to the broker's first report.", H),
              m.broker_round_trip);

  // reconciler
  b.counter(b.begin("peak_reconcile_checks_total",
                    "Reconciliation checks of expected against broker-reported state.", C),
            m.reconcile_checks.value());
  b.counter(b.begin("peak_reconcile_mismatches_total",
                    "Reconciliation checks that found expected and reported state differ.", C),
            m.reconcile_mismatches.value());

  // kill switch
  b.gauge(b.begin("peak_kill_switch_engaged",
                  "1 while the kill switch holds the session halted, else 0.", G),
          m.kill_switch_engaged.value());
  {
    auto& f = b.begin("peak_halts_total", "Kill-switch halts, by trigger reason.", C);
    for (std::size_t i = 0; i < m.halts.size(); ++i) {
      b.counter(f, m.halts[i].value(), "reason", name_of(static_cast<halt_reason>(i)));
    }
  }
  b.histogram(b.begin("peak_halt_gate_latency_seconds",
                      "Wall-clock time from a kill-switch trigger to the halt gate closed (no "
                      "order can leave after it).",
                      H),
              m.halt_gate_latency);
  b.histogram(b.begin("peak_halt_latency_seconds",
                      "Wall-clock time from a kill-switch trigger to every stage acknowledging "
                      "the halt.",
                      H),
              m.halt_all_latency);

  // account
  b.gauge(b.begin("peak_pnl", "Profit and loss: equity minus starting cash, in quote currency.", G),
          m.pnl.value());
  b.gauge(b.begin("peak_exposure",
                  "Gross exposure: sum of |position| times mark price, in quote currency.", G),
          m.exposure.value());
  b.gauge(b.begin("peak_open_positions", "Instruments with a non-zero position.", G),
          m.open_positions.value());
  b.gauge(
      b.begin("peak_equity", "Account equity: cash plus marked positions, in quote currency.", G),
      m.equity.value());

  // actors
  {
    auto& f =
        b.begin("peak_mailbox_depth", "Messages waiting in a stage actor's mailbox (sampled).", G);
    for (std::size_t i = 0; i < m.mailbox_depth.size(); ++i) {
      b.gauge(f, m.mailbox_depth[i].value(), "stage", name_of(static_cast<stage>(i)));
    }
  }
  return b.take();
}

std::vector<std::string> exposed_family_names() {
  const session_metrics empty({"x"}, {"y"});
  std::vector<std::string> names;
  for (const auto& f : collect_families(empty, {})) {
    names.push_back(f.name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string render_text(const session_metrics& metrics, const labels& constant_labels) {
  std::ostringstream out;
  prometheus::TextSerializer{}.Serialize(out, collect_families(metrics, constant_labels));
  return out.str();
}

session_collectable::session_collectable(const session_metrics& metrics, labels constant_labels)
    : metrics_(&metrics), labels_(std::move(constant_labels)) {
  check_constant_labels(labels_);
}

session_collectable::session_collectable(std::shared_ptr<const session_metrics> metrics,
                                         labels constant_labels)
    : owner_(std::move(metrics)), metrics_(owner_.get()), labels_(std::move(constant_labels)) {
  if (metrics_ == nullptr) {
    throw std::invalid_argument("metrics: session_collectable needs metrics");
  }
  check_constant_labels(labels_);
}

std::vector<prometheus::MetricFamily> session_collectable::Collect() const {
  try {
    return collect_families(*metrics_, labels_);
  } catch (...) {
    return {};  // out of memory on a scrape: answer empty rather than take the session down
  }
}

}  // namespace peak::observability
