#!/usr/bin/env python3
"""Generates peak_session.json, the Grafana dashboard for Peak Trade sessions.

Run `python3 observability/grafana/gen_dashboard.py` after changing a panel; the dashboard test
(tests/observability/dashboard_test.cpp) checks that every query names a metric the session
exposes and that every query parses (promtool). Importing the JSON into Grafana: see
docs/runbooks/dashboard.md.
"""
import json
import os
S='session_id=~"$session"'
R='$__rate_interval'
panels=[]; pid=[0]; y=[0]
def nid():
    pid[0]+=1; return pid[0]
def row(title):
    panels.append({"type":"row","title":title,"id":nid(),"collapsed":False,
                   "gridPos":{"h":1,"w":24,"x":0,"y":y[0]},"panels":[]})
    y[0]+=1
x=[0]; rowh=[0]
def panel(kind,title,targets,w=8,h=7,unit=None,desc="",extra=None,instant=False,table=False):
    if x[0]+w>24:
        x[0]=0; y[0]+=rowh[0]; rowh[0]=0
    p={"type":kind,"title":title,"id":nid(),"description":desc,
       "datasource":{"type":"prometheus","uid":"${datasource}"},
       "gridPos":{"h":h,"w":w,"x":x[0],"y":y[0]},
       "targets":[{"refId":chr(65+i),"expr":e,"legendFormat":l,
                   "datasource":{"type":"prometheus","uid":"${datasource}"}} for i,(e,l) in enumerate(targets)],
       "fieldConfig":{"defaults":{},"overrides":[]},"options":{}}
    for t in p["targets"]:
        if instant:
            t["instant"]=True; t["range"]=False
        if table:
            t["format"]="table"
    if unit: p["fieldConfig"]["defaults"]["unit"]=unit
    if extra: p.update(extra)
    panels.append(p); x[0]+=w; rowh[0]=max(rowh[0],h)
def endrow():
    y[0]+=rowh[0]; x[0]=0; rowh[0]=0

def q(p,h): return f'histogram_quantile({p}, sum by (le{", " if h else ""}{h}) (rate(%s{{{S}}}[{R}])))'

row("Session health")
panel("stat","Session up",[(f'peak_up{{{S}}}',"{{session_id}} ({{mode}})")],w=4,h=4,desc="1 while the session runs. No value: the target is not scraped (see PeakSessionDown).")
panel("stat","Kill switch",[(f'peak_kill_switch_engaged{{{S}}}',"{{session_id}}")],w=4,h=4,desc="1 = halted: no order can leave until an operator re-arms.",
      extra={"fieldConfig":{"defaults":{"mappings":[{"type":"value","options":{"0":{"text":"armed","color":"green"},"1":{"text":"HALTED","color":"red"}}}]},"overrides":[]}})
panel("stat","PnL",[(f'peak_pnl{{{S}}}',"{{session_id}}")],w=4,h=4,unit="none",desc="Equity minus starting cash (quote currency). Daily loss limit: -100.")
panel("stat","Open positions",[(f'peak_open_positions{{{S}}}',"{{session_id}}")],w=4,h=4,desc="Instruments with a non-zero position (limit 3).")
panel("stat","Exposure",[(f'peak_exposure{{{S}}}',"{{session_id}}")],w=4,h=4,desc="Sum of |position| x mark (limit 500).")
panel("stat","Scrape target up",[('up{job=~"peak.*"}',"{{instance}}")],w=4,h=4,desc="Prometheus' own view: 0 when the session's /metrics cannot be scraped.")
endrow()
panel("timeseries","PnL and equity",[(f'peak_pnl{{{S}}}',"pnl {{session_id}}"),(f'peak_equity{{{S}}}',"equity {{session_id}}")],w=12,desc="PnL drop alert: 50 below the 1h high; critical below -80.")
panel("timeseries","Exposure and open positions",[(f'peak_exposure{{{S}}}',"exposure {{session_id}}"),(f'peak_open_positions{{{S}}}',"open positions {{session_id}}")],w=12)
endrow()

row("Market data and outlook")
panel("timeseries","Market events / s by type",[(f'sum by (session_id, type) (rate(peak_market_events_total{{{S}}}[{R}]))',"{{type}} {{session_id}}")],unit="ops",desc="Flat at zero while running: the feed stopped (PeakNoMarketEvents).")
panel("timeseries","Quality faults / s by kind",[(f'sum by (session_id, kind) (rate(peak_quality_faults_total{{{S}}}[{R}]))',"{{kind}} {{session_id}}")],unit="ops",desc="Events are flagged, never dropped; sustained faults raise NO-TRADE data_quality.")
panel("state-timeline","Regime by instrument",[(f'peak_outlook_regime{{{S}}}',"{{instrument}}")],desc="0 neutral, 1 bull, 2 bear.",
      extra={"fieldConfig":{"defaults":{"mappings":[{"type":"value","options":{"0":{"text":"neutral","color":"blue"},"1":{"text":"bull","color":"green"},"2":{"text":"bear","color":"red"}}}]},"overrides":[]}})
endrow()
panel("state-timeline","NO-TRADE triggers active",[(f'peak_no_trade_active{{{S}}}',"{{trigger}}")],w=12,desc="1 while the trigger blocks new entries. Stuck for 30 min: PeakNoTradeStuck.")
panel("timeseries","Regime uncertainty",[(f'peak_outlook_uncertainty{{{S}}}',"{{instrument}}")],w=6,unit="percentunit")
panel("timeseries","Hypotheses / s by strategy",[(f'sum by (session_id, strategy) (rate(peak_hypotheses_total{{{S}}}[{R}]))',"{{strategy}}")],w=6,unit="ops")
endrow()

row("Risk gate and orders")
panel("timeseries","Risk decisions / s",[(f'sum by (session_id, decision) (rate(peak_risk_decisions_total{{{S}}}[{R}]))',"{{decision}} {{session_id}}")],unit="ops")
panel("bargauge","Denials by reason (range)",[(f'sum by (reason) (increase(peak_risk_denials_total{{{S}}}[$__range])) > 0',"{{reason}}")],desc="internal_error or missing_input: PeakInternalErrors.",instant=True)
panel("timeseries","Order lifecycle / s by state",[(f'sum by (session_id, state) (rate(peak_orders_total{{{S}}}[{R}]))',"{{state}} {{session_id}}")],unit="ops",desc="submitted, accepted, partially_filled, filled, cancelled, rejected, expired.")
endrow()
panel("stat","Orders by state (range)",[(f'sum by (state) (increase(peak_orders_total{{{S}}}[$__range]))',"{{state}}")],w=12,desc="Counts over the dashboard time range; compare with the session summary.",instant=True)
panel("timeseries","Submitted by side / s",[(f'sum by (session_id, side) (rate(peak_orders_submitted_total{{{S}}}[{R}]))',"{{side}} {{session_id}}")],w=6,unit="ops")
panel("timeseries","Rejected share of submitted",[(f'sum by (session_id) (rate(peak_orders_total{{{S},state="rejected"}}[{R}])) / sum by (session_id) (rate(peak_orders_total{{{S},state="submitted"}}[{R}]))',"{{session_id}}")],w=6,unit="percentunit",desc="Above 20% with 3+ rejections in 5 min: PeakOrderRejectionSpike.")
endrow()

row("Latency")
panel("timeseries","Stage latency p99 by stage",[(q("0.99","stage") % "peak_stage_latency_seconds_bucket","{{stage}}")],unit="s")
panel("timeseries","Tick-to-order p50 / p99",[(q("0.5","") % "peak_tick_to_order_seconds_bucket","p50"),(q("0.99","") % "peak_tick_to_order_seconds_bucket","p99")],unit="s",desc="p99 above 10 ms for 5 min: PeakTickToOrderSlow.")
panel("timeseries","Broker round trip p50 / p99",[(q("0.5","") % "peak_broker_round_trip_seconds_bucket","p50"),(q("0.99","") % "peak_broker_round_trip_seconds_bucket","p99")],unit="s")
endrow()
panel("timeseries","Mean stage latency",[(f'sum by (stage) (rate(peak_stage_latency_seconds_sum{{{S}}}[{R}])) / sum by (stage) (rate(peak_stage_latency_seconds_count{{{S}}}[{R}]))',"{{stage}}")],w=12,unit="s")
panel("timeseries","Mailbox depth by stage",[(f'peak_mailbox_depth{{{S}}}',"{{stage}} {{session_id}}")],w=12,desc="Above 1000 for 1 min: PeakMailboxBacklog.")
endrow()

row("Kill switch and reconciliation")
panel("stat","Halts by reason (range)",[(f'sum by (reason) (increase(peak_halts_total{{{S}}}[$__range])) > 0',"{{reason}}")],instant=True)
panel("stat","Halt latency p99 over range: gate closed / all halted",[(f'histogram_quantile(0.99, sum by (le) (increase(peak_halt_gate_latency_seconds_bucket{{{S}}}[$__range])))',"gate closed"),(f'histogram_quantile(0.99, sum by (le) (increase(peak_halt_latency_seconds_bucket{{{S}}}[$__range])))',"all halted")],unit="s",desc="Trigger to gate closed (no order leaves after it) and trigger to every stage acknowledged. Bar: gate < 5 s, all < 30 s.",instant=True)
panel("timeseries","Reconciliation checks and mismatches",[(f'sum by (session_id) (rate(peak_reconcile_checks_total{{{S}}}[{R}]))',"checks/s {{session_id}}"),(f'sum by (session_id) (increase(peak_reconcile_mismatches_total{{{S}}}[5m]))',"mismatches 5m {{session_id}}")],desc="Any mismatch: PeakReconcileMismatch (critical).")
endrow()
panel("table","Firing Peak alerts",[('ALERTS{alertname=~"Peak.*", alertstate="firing"}',"{{alertname}}")],w=24,h=6,desc="From the rules in observability/alerts/peak_alerts.yml, when this Prometheus loads them.",instant=True,table=True)
endrow()

dash={
 "__inputs":[],
 "annotations":{"list":[]},
 "description":"Peak Trade: one or more sessions (shadow/paper) scraped by Prometheus. Metric catalogue: docs/OBSERVABILITY.md; how to read it: docs/runbooks/dashboard.md.",
 "editable":True,"graphTooltip":1,"id":None,"links":[],
 "panels":panels,
 "refresh":"10s","schemaVersion":37,"style":"dark","tags":["peak-trade"],
 "templating":{"list":[
   {"name":"datasource","type":"datasource","query":"prometheus","label":"Prometheus","current":{},"hide":0},
   {"name":"session","type":"query","label":"Session","datasource":{"type":"prometheus","uid":"${datasource}"},
    "definition":"label_values(peak_up, session_id)",
    "query":{"query":"label_values(peak_up, session_id)","refId":"session"},
    "includeAll":True,"multi":True,"allValue":".*","refresh":2,"current":{},"hide":0}]},
 "time":{"from":"now-1h","to":"now"},"timepicker":{},"timezone":"utc",
 "title":"Peak Trade — session","uid":"peak-session","version":1}
json.dump(dash,open(os.path.join(os.path.dirname(os.path.abspath(__file__)),"peak_session.json"),"w"),indent=2,ensure_ascii=False)
print("wrote", len(panels), "panels")
