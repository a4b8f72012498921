"""Latency the assistant's route adds over its upstream model server.

    python bench/chatbot_latency.py --db DB [--port 8371] [--delay 0.3] [-n 100]

Starts the fake OpenRouter of the addon's tests (fixed ``--delay`` per answer) and a
real Odoo server (odoo-bin, one process, the checkout's .cache/odoo.conf) on database
``DB`` (an installed copy: the script points the assistant's settings at the fake and
lifts its rate limit there, so use a throw-away copy, e.g.
``createdb -T <template> icb_bench``). Then it asks ``-n`` questions (the labelled
messages of the PII fixture, in turn) through HTTP and prints the percentiles of the
whole round trip and of what it adds over the upstream's fixed delay: sanitizing,
FAQ search, prompt building, recording the interaction and the HTTP layers. The same
is measured without a key (answer from the FAQ, no upstream at all).
"""

import argparse
import importlib.util
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

import psycopg2
import requests

ROOT = pathlib.Path(__file__).resolve().parent.parent
TESTS = ROOT / "helpdesk_itims_chatbot" / "tests"


def load_fake():
    spec = importlib.util.spec_from_file_location("fake_openrouter", TESTS / "fake_openrouter.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.FakeOpenRouter


def set_params(db, values):
    conn = psycopg2.connect(dbname=db)
    with conn, conn.cursor() as cr:
        for key, value in values.items():
            cr.execute("DELETE FROM ir_config_parameter WHERE key = %s", [key])
            if value is not None:
                cr.execute(
                    "INSERT INTO ir_config_parameter (key, value) VALUES (%s, %s)", [key, value]
                )
        cr.execute("DELETE FROM itims_chatbot_model_state")
        # tell the running server its cached parameters changed (as Odoo's workers do)
        cr.execute("SELECT nextval('base_cache_signaling_default')")
    conn.close()


def percentile(values, pct):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def run(url, messages, n):
    session = requests.Session()
    timings = []
    outcomes = {}
    for i in range(n):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"message": messages[i % len(messages)], "history": []},
        }
        start = time.perf_counter()
        response = session.post(url, json=payload, timeout=30)
        timings.append(time.perf_counter() - start)
        outcome = response.json().get("result", {}).get("outcome", "http-error")
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return timings, outcomes


def report(label, timings, delay, outcomes):
    ms = [t * 1000 for t in timings]
    added = [max(0.0, t - delay * 1000) for t in ms]
    print(
        f"{label}: n={len(ms)} total p50={statistics.median(ms):.0f} ms "
        f"p95={percentile(ms, 95):.0f} ms; added over the upstream p50="
        f"{statistics.median(added):.0f} ms p95={percentile(added, 95):.0f} ms; {outcomes}"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, default=8371)
    parser.add_argument("--delay", type=float, default=0.3)
    parser.add_argument("-n", type=int, default=100)
    args = parser.parse_args()

    fake = load_fake()(delay=args.delay).start()
    set_params(
        args.db,
        {
            "helpdesk_itims_chatbot.api_key": "sk-bench",
            "helpdesk_itims_chatbot.api_base_url": fake.base_url,
            "helpdesk_itims_chatbot.models": "bench/model-a:free,bench/model-b:free",
            "helpdesk_itims_chatbot.rate_limit": "0/600",
        },
    )
    odoo_src = os.environ.get("ODOO_SRC", "/opt/odoo-18.0")
    server = subprocess.Popen(
        [
            sys.executable,
            f"{odoo_src}/odoo-bin",
            "-c",
            str(ROOT / ".cache" / "odoo.conf"),
            "-d",
            args.db,
            "--db-filter",
            f"^{args.db}$",
            "--http-port",
            str(args.port),
            "--workers",
            "0",
            "--max-cron-threads",
            "0",
            "--log-level",
            "warn",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(120):
            try:
                if requests.get(f"{base}/web/health", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            time.sleep(1)
        else:
            raise SystemExit("Odoo did not start")
        fixture = TESTS / "data" / "pii_es.jsonl"
        messages = [json.loads(line)["text"] for line in fixture.read_text().splitlines()]
        url = f"{base}/itims/chatbot/ask"
        run(url, messages, 10)  # warm-up: registry, caches, sanitizer
        print(f"upstream: fake OpenRouter answering after a fixed {args.delay * 1000:.0f} ms")
        timings, outcomes = run(url, messages, args.n)
        report("with a model", timings, args.delay, outcomes)
        set_params(args.db, {"helpdesk_itims_chatbot.api_key": None})
        timings, outcomes = run(url, messages, args.n)
        report("without key (FAQ answer)", timings, 0.0, outcomes)
        print(f"requests received by the fake upstream: {len(fake.requests)}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        fake.stop()


if __name__ == "__main__":
    main()
