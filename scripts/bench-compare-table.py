#!/usr/bin/env python3
"""The table of scripts/bench-compare: reads one run directory, prints Markdown.

usage: bench-compare-table.py RUN_DIR WORKLOAD...

RabbitMQ figures are PerfTest's own summary lines (rabbitmq-W.txt) and the CPU seconds the script counted over
the measured run (rabbitmq-W.cpu); Pontoon's are LoadTool's JSON summary (pontoon-W/result.json) and the CPU line
of scripts/bench-queue (pontoon-W/stages.txt).
"""
import json
import re
import sys
from pathlib import Path

TITLES = {
    "e2e-1k": "send + receive + delete, 1 KiB",
    "e2e-4p": "same, 4 producers",
    "e2e-64b": "same, 64 B bodies",
    "latency": "one message at a time at 100/s, send → confirm",
    "send": "send only (4 producers)",
}


def rabbitmq(run, w):
    text = (run / f"rabbitmq-{w}.txt").read_text()
    sent = float(re.search(r"sending rate avg: (\d+)", text).group(1))
    received = re.search(r"receiving rate avg: (\d+)", text)
    lat = re.search(r"confirm latency min/median/75th/95th/99th (\d+)/(\d+)/\d+/\d+/(\d+)", text)
    cpu = dict(kv.split("=") for kv in (run / f"rabbitmq-{w}.cpu").read_text().split())
    rate = float(received.group(1)) if received and w.startswith("e2e") else sent
    return {"rate": rate, "p50": int(lat.group(2)) / 1000 if lat else None, "p99": int(lat.group(3)) / 1000 if lat else None,
            "nodes_s": float(cpu["nodes_s"]), "all_s": float(cpu["nodes_s"]) + float(cpu["tool_s"])}


def pontoon(run, w):
    r = json.loads((run / f"pontoon-{w}" / "result.json").read_text())
    stages = (run / f"pontoon-{w}" / "stages.txt").read_text()
    m = re.search(r"nodes ([\d.]+) s, load tool ([\d.]+) s", stages)
    rate = r["deleted"]["msgs_per_s"] if w.startswith("e2e") else r["sent"]["msgs_per_s"]
    send = r["latency_ms"]["send"]
    return {"rate": rate, "p50": send["p50"], "p99": send["p99"],
            "nodes_s": float(m.group(1)), "all_s": float(m.group(1)) + float(m.group(2)), "seconds": r["measured_seconds"]}


def cpu_us(side, seconds):
    msgs = side["rate"] * seconds
    return f"{side['nodes_s'] / msgs * 1e6:,.0f} / {side['all_s'] / msgs * 1e6:,.0f} µs" if msgs else "–"


def main():
    run, workloads = Path(sys.argv[1]), sys.argv[2:]
    print("| workload | RabbitMQ QQ (PerfTest) | Pontoon (LoadTool) | Pontoon / RabbitMQ "
          "| CPU per message, nodes / all processes: RabbitMQ | Pontoon |")
    print("| --- | --- | --- | --- | --- | --- |")
    for w in workloads:
        try:
            r, p = rabbitmq(run, w), pontoon(run, w)
        except (OSError, AttributeError, KeyError, ValueError) as e:
            print(f"| {TITLES.get(w, w)} | (no figures: {e}) | | | | |")
            continue
        seconds = p["seconds"]
        if w == "latency":
            rabbit = f"p50 {r['p50']:.2f} ms, p99 {r['p99']:.2f} ms"
            ours = f"p50 {p['p50']:.2f} ms, p99 {p['p99']:.2f} ms"
            ratio = f"p50 {p['p50'] / r['p50']:.2f} ×, p99 {p['p99'] / r['p99']:.2f} × (lower is better)"
        else:
            rabbit, ours = f"{r['rate']:,.0f} msg/s", f"{p['rate']:,.0f} msg/s"
            ratio = f"**{p['rate'] / r['rate']:.2f}**"
        print(f"| {TITLES.get(w, w)} | {rabbit} | {ours} | {ratio} | {cpu_us(r, seconds)} | {cpu_us(p, seconds)} |")


if __name__ == "__main__":
    main()
