#include "bench/pipeline/harness_report.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace peak::bench {
namespace {

std::string fmt_ns(std::int64_t ns, bool exact) {
  if (ns < 0)
    return exact ? "-" : "> 10 s";
  char buf[32];
  const char* le = exact ? "" : "<=";
  if (ns < 10'000)
    std::snprintf(buf, sizeof buf, "%s%.2f us", le, static_cast<double>(ns) / 1e3);
  else if (ns < 10'000'000)
    std::snprintf(buf, sizeof buf, "%s%.1f us", le, static_cast<double>(ns) / 1e3);
  else
    std::snprintf(buf, sizeof buf, "%s%.1f ms", le, static_cast<double>(ns) / 1e6);
  return buf;
}

std::string fmt_double(double v, int decimals = 0) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string json_latency(const latency_summary& s) {
  std::ostringstream o;
  o << "{\"samples\":" << s.samples << ",\"exact\":" << (s.exact ? "true" : "false")
    << ",\"p50_ns\":" << s.p50 << ",\"p99_ns\":" << s.p99 << ",\"p999_ns\":" << s.p999
    << ",\"max_ns\":" << s.max << ",\"mean_ns\":" << s.mean << "}";
  return o.str();
}

const run_result* find(const std::vector<run_result>& runs, const std::string& variant,
                       double rate) {
  for (const run_result& r : runs)
    if (r.variant == variant && r.rate == rate)
      return &r;
  return nullptr;
}

double ratio(double a, double b) {
  return b > 0 ? a / b : 0.0;
}

void json_header(std::ostream& out, const harness_options& o, const harness_results& h) {
  const std::string& data_name = h.data_name;
  const unsigned cores = h.cores;
  const std::string& load_before = h.load_before;
  const std::string& load_after = h.load_after;
  const broker::page_reserve::stats& reserve = h.reserve;
  out << "{\"harness\":\"pipeline\",\"data\":\"" << data_name << "\",\"cores\":" << cores
      << ",\"load_before\":\"" << load_before << "\",\"load_after\":\"" << load_after
      << "\",\"options\":{\"throughput_events\":" << o.throughput_events
      << ",\"latency_seconds\":" << o.latency_seconds
      << ",\"scheduler_threads\":" << o.scheduler_threads
      << ",\"replay_batch\":" << o.replay_batch
      << ",\"spin_workers\":" << (o.spin_workers ? "true" : "false")
      << ",\"max_throughput\":" << o.max_throughput
      << ",\"hiccup_meter\":" << (o.hiccup_meter ? "true" : "false")
      << ",\"prefault_headroom_bytes\":" << o.prefault_headroom_bytes << ",\"seed\":" << o.seed
      << ",\"ma_fast\":" << o.ma_fast << ",\"ma_slow\":" << o.ma_slow
      << "},\"page_reserve\":{\"handed_out_bytes\":" << reserve.total_handed_out_bytes
      << ",\"touched_bytes\":" << reserve.touched_bytes << ",\"misses\":" << reserve.misses
      << "},\"runs\":[";
}

void json_run(std::ostream& out, const run_result& r, bool first_run) {
  out << (first_run ? "" : ",") << "{\"variant\":\"" << r.variant << "\",\"rate\":" << r.rate
      << ",\"events\":" << r.events << ",\"orders\":" << r.orders
      << ",\"seconds\":" << fmt_double(r.seconds, 6)
      << ",\"events_per_second\":" << fmt_double(r.events_per_second());
  if (r.rate > 0) {
    out << ",\"tick_to_order\":" << json_latency(r.tick_to_order);
    if (r.variant == "queues")
      out << ",\"hop\":" << json_latency(r.hop);
    if (r.hiccup.measured)
      out << ",\"hiccup\":{\"p99_ns\":" << r.hiccup.p99 << ",\"p999_ns\":" << r.hiccup.p999
          << ",\"max_ns\":" << r.hiccup.max << ",\"gaps_over_1ms_per_second\":"
          << fmt_double(r.hiccup.gaps_over_1ms_per_second, 2)
          << ",\"gaps_over_20us_per_second\":"
          << fmt_double(r.hiccup.gaps_over_20us_per_second, 1) << "}";
    if (!r.hops.empty()) {
      out << ",\"hops\":{";
      for (std::size_t s = 0; s < r.hops.size(); ++s)
        out << (s ? "," : "") << "\"" << r.hops[s].first
            << "\":" << json_latency(r.hops[s].second);
      out << "}";
    }
    if (!r.stages.empty()) {
      out << ",\"stages\":{";
      for (std::size_t s = 0; s < r.stages.size(); ++s)
        out << (s ? "," : "") << "\"" << r.stages[s].first
            << "\":" << json_latency(r.stages[s].second);
      out << "}";
    }
  }
  out << "}";
}

void json_ratios(std::ostream& out, const harness_options& o, const harness_results& h) {
  const std::vector<run_result>& runs = h.runs;
  const run_result* ga = find(runs, "graph", 0.0);
  const run_result* ra = find(runs, "reference", 0.0);
  const run_result* qa = find(runs, "queues", 0.0);
  out << "],\"ratios\":{";
  bool first = true;
  auto put = [&](const char* name, double v) {
    out << (first ? "" : ",") << "\"" << name << "\":" << fmt_double(v, 4);
    first = false;
  };
  if (ga && ra)
    put("throughput_graph_over_reference",
        ratio(ga->events_per_second(), ra->events_per_second()));
  if (ga && ra)
    out << (first ? "" : ",")
        << "\"graph_orders_match_reference\":" << (ga->orders == ra->orders ? "true" : "false");
  first = first && !(ga && ra);
  if (ga && qa)
    put("throughput_graph_over_queues", ratio(ga->events_per_second(), qa->events_per_second()));
  for (double rate : o.rates) {
    const run_result* g = find(runs, "graph", rate);
    const run_result* q = find(runs, "queues", rate);
    const run_result* a = find(runs, "reference", rate);
    const std::string k = fmt_double(rate);
    if (g && a && a->tick_to_order.p99 > 0 && g->tick_to_order.p99 > 0)
      put(("p99_graph_over_reference_at_" + k).c_str(),
          ratio(static_cast<double>(g->tick_to_order.p99),
                static_cast<double>(a->tick_to_order.p99)));
    if (g && q && q->tick_to_order.p99 > 0 && g->tick_to_order.p99 > 0)
      put(("p99_graph_over_queues_at_" + k).c_str(),
          ratio(static_cast<double>(g->tick_to_order.p99),
                static_cast<double>(q->tick_to_order.p99)));
  }
  out << "}}\n";
}

void text_header(std::ostream& out, const harness_options& o, const harness_results& h) {
  const std::string& data_name = h.data_name;
  const unsigned cores = h.cores;
  const std::string& load_before = h.load_before;
  const std::string& load_after = h.load_after;
  const broker::page_reserve::stats& reserve = h.reserve;
  out << "pipeline harness: " << data_name << "; " << cores << " cores, load " << load_before
      << " -> " << load_after << "; CAF threads "
      << (o.scheduler_threads == 0 ? std::string("auto (1 paced, 2 as fast as possible)")
                                   : std::to_string(o.scheduler_threads))
      << (o.spin_workers ? ", workers spin (a paced market-data polls the clock)"
                         : ", workers sleep (a pacer thread wakes market-data)")
      << ", replay batch " << o.replay_batch << ", page reserve "
      << (o.prefault_headroom_bytes > 0
              ? std::to_string(o.prefault_headroom_bytes >> 20) + " MiB ahead (" +
                    std::to_string(reserve.total_handed_out_bytes >> 20) + " MiB handed out, " +
                    std::to_string(reserve.misses) + " chunks it had no memory ready for)"
              : std::string("off"))
      << "; (a) reference loop, (b) 2 threads + moodycamel queue, (c) CAF graph\n\n";
}

void throughput_table(std::ostream& out, const harness_results& h) {
  const std::vector<run_result>& runs = h.runs;
  const run_result* ga = find(runs, "graph", 0.0);
  const run_result* ra = find(runs, "reference", 0.0);
  const run_result* qa = find(runs, "queues", 0.0);
  out << "throughput (as fast as possible)\n";
  out << "  variant      events      orders   seconds      events/s\n";
  for (const run_result& r : runs) {
    if (r.rate > 0)
      continue;
    char line[160];
    std::snprintf(line, sizeof line, "  %-10s %9llu %10llu %9.3f %13.0f\n", r.variant.c_str(),
                  static_cast<unsigned long long>(r.events),
                  static_cast<unsigned long long>(r.orders), r.seconds, r.events_per_second());
    out << line;
  }
  for (const run_result* v : {qa, ga}) {
    if (v != nullptr && ra != nullptr && v->orders != ra->orders)
      out << "  WARNING: " << v->variant << " sent " << v->orders << " orders, the reference "
          << ra->orders << ": its decisions differ (e.g. the risk gate saw fills late and its "
          << "order table filled up)\n";
  }
  if (ga && ra)
    out << "  ratio (c)/(a) "
        << fmt_double(ratio(ga->events_per_second(), ra->events_per_second()), 3);
  if (ga && qa)
    out << "   ratio (c)/(b) "
        << fmt_double(ratio(ga->events_per_second(), qa->events_per_second()), 3);
}

void latency_table(std::ostream& out, const harness_options& o, const harness_results& h) {
  const std::vector<run_result>& runs = h.runs;
  out << "\n\ntick-to-order at paced rates (exact samples in every variant)\n";
  out << "  variant     rate/s  achieved samples       mean        p50        p99      p99.9       "
         " max |"
         "  hiccup p99      p99.9        max  >=1ms/s >=20us/s\n";
  for (const run_result& r : runs) {
    if (r.rate <= 0)
      continue;
    latency_summary t = r.tick_to_order;
    if (t.samples == 0)
      t.exact = true;  // nothing measured: print "-" rather than a bound
    char line[320];
    std::snprintf(
        line, sizeof line,
        "  %-10s %7.0f %9.0f %7llu %10s %10s %10s %10s %10s | %11s %10s %10s %8s %8s\n",
        r.variant.c_str(), r.rate, r.events_per_second(),
        static_cast<unsigned long long>(t.samples), fmt_ns(t.mean, true).c_str(),
        fmt_ns(t.p50, t.exact).c_str(), fmt_ns(t.p99, t.exact).c_str(),
        fmt_ns(t.p999, t.exact).c_str(), fmt_ns(t.max, t.exact).c_str(),
        r.hiccup.measured ? fmt_ns(r.hiccup.p99, true).c_str() : "-",
        r.hiccup.measured ? fmt_ns(r.hiccup.p999, true).c_str() : "-",
        r.hiccup.measured ? fmt_ns(r.hiccup.max, true).c_str() : "-",
        r.hiccup.measured ? fmt_double(r.hiccup.gaps_over_1ms_per_second, 1).c_str() : "-",
        r.hiccup.measured ? fmt_double(r.hiccup.gaps_over_20us_per_second, 0).c_str() : "-");
    out << line;
  }
  for (double rate : o.rates) {
    const run_result* g = find(runs, "graph", rate);
    const run_result* q = find(runs, "queues", rate);
    const run_result* a = find(runs, "reference", rate);
    if (g && g->tick_to_order.p99 > 0) {
      out << "  at " << fmt_double(rate) << "/s p99 ratio";
      if (a && a->tick_to_order.p99 > 0)
        out << " (c)/(a) "
            << fmt_double(ratio(static_cast<double>(g->tick_to_order.p99),
                                static_cast<double>(a->tick_to_order.p99)),
                          1);
      if (q && q->tick_to_order.p99 > 0)
        out << " (c)/(b) "
            << fmt_double(ratio(static_cast<double>(g->tick_to_order.p99),
                                static_cast<double>(q->tick_to_order.p99)),
                          1);
      out << "\n";
    }
  }
}

void hop_lines(std::ostream& out, const std::vector<run_result>& runs) {
  out << "\nper hop / per stage at paced rates\n";
  for (const run_result& r : runs) {
    if (r.rate <= 0)
      continue;
    if (r.variant == "queues" && r.hop.samples > 0)
      out << "  queues " << fmt_double(r.rate) << "/s: queue hop (enqueue->dequeue) p50 "
          << fmt_ns(r.hop.p50, true) << " p99 " << fmt_ns(r.hop.p99, true) << " p99.9 "
          << fmt_ns(r.hop.p999, true) << " max " << fmt_ns(r.hop.max, true) << "\n";
    if (!r.hops.empty()) {
      out << "  graph " << fmt_double(r.rate) << "/s hop into (batch sent -> taken):";
      for (const auto& [name, h] : r.hops)
        out << " " << name << " p50 " << fmt_ns(h.p50, true) << " p99 " << fmt_ns(h.p99, true)
            << ";";
      out << "\n";
    }
    if (!r.stages.empty()) {
      out << "  graph " << fmt_double(r.rate) << "/s stage processing (sampled):";
      for (const auto& [name, s] : r.stages)
        out << " " << name << " p50 " << fmt_ns(s.p50, false) << " p99 " << fmt_ns(s.p99, false)
            << ";";
      out << "\n";
    }
  }

}

}  // namespace

std::string read_loadavg() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  if (!(in >> a >> b >> c))
    return "unknown";
  return a + " " + b + " " + c;
}

std::string json_report(const harness_options& o, const harness_results& h) {
  std::ostringstream out;
  json_header(out, o, h);
  for (std::size_t i = 0; i < h.runs.size(); ++i)
    json_run(out, h.runs[i], i == 0);
  json_ratios(out, o, h);
  return out.str();
}

std::string text_report(const harness_options& o, const harness_results& h) {
  std::ostringstream out;
  text_header(out, o, h);
  throughput_table(out, h);
  latency_table(out, o, h);
  hop_lines(out, h.runs);
  return out.str();
}

}  // namespace peak::bench
