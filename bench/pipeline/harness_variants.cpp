#include "bench/pipeline/harness_variants.hpp"

// moodycamel's queue trips GCC 12's flow-based -Wnull-dereference once inlined into this
// file (a false positive in the library's producer list walk); silence it for this file.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <concurrentqueue/concurrentqueue.h>

#include <atomic>
#include <memory>
#include <thread>
#include <type_traits>

#include "actors/session_graph.hpp"
#include "engine/reference_loop.hpp"
#include "engine/stages.hpp"
#include "messages/names.hpp"
#include "observability/session_metrics.hpp"
#include "risk/halt_gate.hpp"

namespace peak::bench {

// ---------------------------------------------------------------------------------------------
// (a) reference loop

run_result run_reference(const run_context& ctx, std::uint64_t events, double rate) {
  const harness_options& o = ctx.options;
  const config::session_config cfg = bench_config(ctx, events);
  const std::unique_ptr<marketdata::event_source> source = make_source(ctx, cfg, events);
  marketdata::event_source& feed = *source;
  risk::halt_gate gate;
  engine::reference_pipeline pipeline(cfg, nullptr, &gate);
  pacer pace(rate > 0 ? speed_for(ctx, cfg, rate) : 0.0);
  std::vector<std::int64_t> samples;
  hiccup_meter meter(rate > 0 && o.hiccup_meter);
  if (rate > 0)
    samples.reserve(events);
  meter.start();
  run_result r;
  r.variant = "reference";
  r.rate = rate;
  const std::int64_t t0 = steady_now_ns();
  market_event event;
  while (feed.next(event)) {
    if (rate > 0) {
      pace.wait(event);
      const std::int64_t tick = steady_now_ns();
      const std::uint64_t before = pipeline.orders_sent();
      pipeline.on_event(event);
      // The reference loop gives no hook inside on_event: the probe is taken when the whole
      // event is done (an upper bound of tick-to-order by the reconciler's share).
      if (pipeline.orders_sent() != before)
        samples.push_back(steady_now_ns() - tick);
    } else {
      pipeline.on_event(event);
    }
    ++r.events;
  }
  const engine::session_result result = pipeline.finish();
  r.seconds = static_cast<double>(steady_now_ns() - t0) / 1e9;
  meter.stop();
  r.orders = result.counters.orders_sent;
  if (rate > 0) {
    r.tick_to_order = summarise(std::move(samples));
    r.hiccup = summarise(meter);
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// (b) the same stages over a moodycamel queue between two busy-polling threads

/// Thread A: market-data, L2 outlook, L3 advisory (and the feed/pacing, as in the graph's
/// market-data actor). Thread B: L5 risk gate, execution, reconciler. On a 2-core machine
/// two spinning threads is the most that can run at once; the cut after L3 puts the
/// indicator work on one side and the order path on the other. Each event crosses as one
/// batch (an empty batch ends the run); spent batches come back for reuse.
run_result run_queues(const run_context& ctx, std::uint64_t events, double rate) {
  const harness_options& o = ctx.options;
  const config::session_config cfg = bench_config(ctx, events);
  risk::halt_gate gate;
  const bool paced = rate > 0;
  moodycamel::ConcurrentQueue<pipeline_batch> queue(4096);
  moodycamel::ConcurrentQueue<pipeline_batch> spent(4096);
  std::vector<std::int64_t> t2o;
  std::vector<std::int64_t> hops;
  if (paced) {
    t2o.reserve(events);
    hops.reserve(events);
  }
  hiccup_meter meter(paced && o.hiccup_meter);

  // Stages are built up front (as the graph builds its actors before start()).
  engine::market_data_stage market_data(cfg);
  engine::outlook_stage outlook_core(cfg);
  engine::advisory_stage advisory(cfg);
  engine::risk_stage risk(cfg, &gate);
  engine::execution_stage execution(cfg, &gate);
  engine::reconcile_stage reconcile(cfg, nullptr);
  engine::session_result result;

  std::thread back([&] {
    moodycamel::ConsumerToken token(queue);
    pipeline_batch in, decided, executed, feedback;
    std::int64_t tick_wall = 0;
    for (;;) {
      if (!queue.try_dequeue(token, in)) {
        cpu_relax();
        continue;
      }
      if (in.items.empty())
        break;
      if (paced)
        hops.push_back(steady_now_ns() - in.sent_wall_ns);
      engine::stage_output to_risk{&decided, nullptr, nullptr};
      engine::run_stage(risk, in, to_risk);
      engine::stage_output to_exec{&executed, nullptr, &feedback};
      engine::for_each_item(decided, [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, market_event>)
          tick_wall = x.wall_ns;
        const std::uint64_t before = execution.orders_sent();
        execution.handle(x, to_exec);
        if (paced && execution.orders_sent() != before)
          t2o.push_back(steady_now_ns() - tick_wall);
      });
      execution.seal_feedback(feedback);
      risk.on_feedback(feedback);
      engine::stage_output last{nullptr, nullptr, nullptr};
      engine::run_stage(reconcile, executed, last);
      engine::clear(decided);
      engine::clear(executed);
      engine::clear(feedback);
      engine::clear(in);
      spent.enqueue(std::move(in));
    }
    result = reconcile.finish();
  });

  meter.start();
  const std::int64_t t0 = steady_now_ns();
  std::uint64_t emitted = 0;
  {
    moodycamel::ProducerToken token(queue);
    const std::unique_ptr<marketdata::event_source> source = make_source(ctx, cfg, events);
    marketdata::event_source& feed = *source;
    pacer pace(paced ? speed_for(ctx, cfg, rate) : 0.0);
    pipeline_batch a, b;
    engine::stage_output to_a{&a, nullptr, nullptr};
    engine::stage_output to_b{&b, nullptr, nullptr};
    auto push = [&](pipeline_batch&& m) {
      m.sent_wall_ns = paced ? steady_now_ns() : 0;
      while (!queue.try_enqueue(token, std::move(m)))
        cpu_relax();
    };
    market_event event;
    while (feed.next(event)) {
      pace.wait(event);
      event.wall_ns = steady_now_ns();
      engine::clear(a);
      market_data.handle(event, to_a);
      engine::clear(b);
      engine::run_stage(outlook_core, a, to_b);
      pipeline_batch out;
      (void)spent.try_dequeue(out);  // reuse a spent batch's storage when one is back
      engine::stage_output to_out{&out, nullptr, nullptr};
      engine::run_stage(advisory, b, to_out);
      push(std::move(out));
      ++emitted;
    }
    push(pipeline_batch{});
  }
  back.join();
  const std::int64_t t1 = steady_now_ns();
  meter.stop();

  run_result r;
  r.variant = "queues";
  r.rate = rate;
  r.events = emitted;
  r.orders = result.counters.orders_sent;
  r.seconds = static_cast<double>(t1 - t0) / 1e9;
  if (paced) {
    r.tick_to_order = summarise(std::move(t2o));
    r.hop = summarise(std::move(hops));
    r.hiccup = summarise(meter);
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// (c) the CAF actor graph

run_result run_graph(const run_context& ctx, std::uint64_t events, double rate) {
  const harness_options& o = ctx.options;
  const config::session_config cfg = bench_config(ctx, events);
  risk::halt_gate gate;
  const std::unique_ptr<marketdata::event_source> source = make_source(ctx, cfg, events);
  marketdata::event_source& feed = *source;
  std::vector<std::string> instruments;
  for (const auto& i : cfg.instruments)
    instruments.push_back(i.symbol);
  std::vector<std::string> strategies;
  for (std::size_t i = 0; i < cfg.strategies.size(); ++i)
    strategies.push_back(cfg.strategies[i].name + "#" + std::to_string(i));
  observability::session_metrics metrics(instruments, strategies);
  actors::graph_options options;
  options.scheduler_threads = o.scheduler_threads;
  options.replay_batch = o.replay_batch;
  options.idle = o.spin_workers ? actors::worker_idle::spin : actors::worker_idle::sleep;
  options.max_throughput = o.max_throughput;
  options.prefault_headroom_bytes = o.prefault_headroom_bytes;
  const bool paced = rate > 0;
  options.speed = paced ? speed_for(ctx, cfg, rate) : 0.0;
  // Throughput runs without metrics (like (a) and (b)); latency runs need the graph's own
  // tick-to-order histogram.
  options.metrics = paced ? &metrics : nullptr;
  // Exact samples (like (a) and (b)) instead of the histogram's bucket bounds.
  actors::latency_probe probe;
  if (paced) {
    probe.tick_to_order.reserve(static_cast<std::size_t>(events));
    for (auto& hop : probe.hop)
      hop.reserve(static_cast<std::size_t>(events));
    options.probe = &probe;
  }
  hiccup_meter meter(paced && o.hiccup_meter);

  run_result r;
  r.variant = "graph";
  r.rate = rate;
  actors::session_graph graph(cfg, feed, nullptr, &gate, options);
  meter.start();
  const std::int64_t t0 = steady_now_ns();
  graph.start();
  const engine::session_result result = graph.wait();
  const std::int64_t t1 = steady_now_ns();
  meter.stop();
  r.events = result.counters.events;
  r.orders = result.counters.orders_sent;
  r.seconds = static_cast<double>(t1 - t0) / 1e9;
  if (paced) {
    r.tick_to_order = summarise(std::move(probe.tick_to_order));
    r.hiccup = summarise(meter);
    for (std::uint8_t s = 0; s < stage_count; ++s)
      if (!probe.hop[s].empty())
        r.hops.emplace_back(name_of(static_cast<stage>(s)), summarise(std::move(probe.hop[s])));
    for (std::uint8_t s = 0; s < stage_count; ++s) {
      const auto& h = metrics.stage_latency[s];
      if (h.count() != 0)
        r.stages.emplace_back(name_of(static_cast<stage>(s)), summarise(h));
    }
  }
  return r;
}

}  // namespace peak::bench
