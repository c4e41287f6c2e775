// The Grafana dashboard may only query metrics a session exposes, and every query must parse.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "observability/prometheus_exposition.hpp"
#include "tests/observability/prometheus_harness.hpp"

namespace peak::observability {
namespace {

const std::string dashboard_path =
    std::string(PEAK_SOURCE_DIR) + "/observability/grafana/peak_session.json";

/// Every "expr" string (panel targets) and every templating query string, depth first.
void collect_queries(simdjson::dom::element e, std::vector<std::string>& out) {
  if (e.is_object()) {
    for (auto field : simdjson::dom::object(e)) {
      std::string_view text;
      if ((field.key == "expr" || field.key == "definition") &&
          field.value.get(text) == simdjson::SUCCESS) {
        out.emplace_back(text);
      } else {
        collect_queries(field.value, out);
      }
    }
  } else if (e.is_array()) {
    for (auto item : simdjson::dom::array(e)) {
      collect_queries(item, out);
    }
  }
}

std::vector<std::string> dashboard_queries() {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  const auto error = parser.load(dashboard_path).get(doc);
  if (error != simdjson::SUCCESS) {
    ADD_FAILURE() << dashboard_path << ": " << simdjson::error_message(error);
    return {};
  }
  std::vector<std::string> queries;
  collect_queries(doc, queries);
  return queries;
}

/// Names a query may use: each family, plus _bucket/_sum/_count for histograms.
std::set<std::string> exposed_series_names() {
  std::set<std::string> names;
  const session_metrics m({"x"}, {"y"});
  for (const auto& f : collect_families(m, {})) {
    names.insert(f.name);
    if (f.type == prometheus::MetricType::Histogram) {
      names.insert(f.name + "_bucket");
      names.insert(f.name + "_sum");
      names.insert(f.name + "_count");
    }
  }
  return names;
}

TEST(Dashboard, EveryQueriedMetricExists) {
  const auto queries = dashboard_queries();
  ASSERT_GE(queries.size(), 20u);
  const auto exposed = exposed_series_names();
  const std::regex metric("peak_[a-z_]+");
  std::set<std::string> used;
  for (const auto& q : queries) {
    for (std::sregex_iterator it(q.begin(), q.end(), metric), end; it != end; ++it) {
      used.insert(it->str());
      EXPECT_TRUE(exposed.count(it->str()) == 1)
          << "dashboard queries " << it->str() << ", which no session exposes, in: " << q;
    }
  }
  // the operator's core views are on it
  for (const char* name : {"peak_orders_total", "peak_pnl", "peak_kill_switch_engaged",
                           "peak_tick_to_order_seconds_bucket", "peak_market_events_total",
                           "peak_reconcile_mismatches_total", "peak_no_trade_active"}) {
    EXPECT_EQ(used.count(name), 1u) << name << " is not on the dashboard";
  }
}

TEST(Dashboard, EveryPanelHasAQuery) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.load(dashboard_path).get(doc), simdjson::SUCCESS);
  simdjson::dom::array panels;
  ASSERT_EQ(doc["panels"].get(panels), simdjson::SUCCESS);
  std::size_t checked = 0;
  for (auto p : panels) {
    std::string_view type;
    ASSERT_EQ(p["type"].get(type), simdjson::SUCCESS);
    if (type == "row") {
      continue;
    }
    simdjson::dom::array targets;
    ASSERT_EQ(p["targets"].get(targets), simdjson::SUCCESS);
    EXPECT_GE(targets.size(), 1u);
    for (auto t : targets) {
      std::string_view expr;
      EXPECT_EQ(t["expr"].get(expr), simdjson::SUCCESS);
      EXPECT_FALSE(expr.empty());
    }
    ++checked;
  }
  EXPECT_GE(checked, 20u);
}

/// Grafana variables replaced by values PromQL accepts, so promtool can parse the queries.
std::string substitute_variables(std::string q) {
  const std::pair<const char*, const char*> vars[] = {
      {"$__rate_interval", "1m"}, {"$__interval", "1m"}, {"$__range", "1h"}, {"$session", ".*"}};
  for (const auto& [var, value] : vars) {
    for (auto at = q.find(var); at != std::string::npos; at = q.find(var, at)) {
      q.replace(at, std::string(var).size(), value);
    }
  }
  return q;
}

TEST(Dashboard, EveryQueryParsesAsPromQL) {
  const std::string promtool = test::find_program("promtool");
  if (promtool.empty()) {
    GTEST_SKIP() << "promtool not installed (Debian package prometheus)";
  }
  char path[] = "/tmp/peak-dashboard-rules-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  {
    std::ofstream rules(path);
    rules << "groups:\n  - name: dashboard\n    rules:\n";
    int i = 0;
    for (const auto& q : dashboard_queries()) {
      if (q.rfind("label_values(", 0) == 0) {
        continue;  // Grafana function, not PromQL
      }
      std::string escaped;
      for (char c : substitute_variables(q)) {
        escaped += c == '\'' ? std::string("''") : std::string(1, c);
      }
      rules << "      - record: dashboard:query" << i++ << "\n        expr: '" << escaped << "'\n";
    }
  }
  const auto r = test::run_program({promtool, "check", "rules", path});
  std::remove(path);
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

}  // namespace
}  // namespace peak::observability
