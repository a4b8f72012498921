#!/usr/bin/env python
"""Load test of the intake: concurrent public submissions and XML-RPC creations
against a real Odoo, for one or several addon roots side by side.

For every addon root (``--root label=path``; e.g. the code before and after a change)
and every server mode (``--modes``: ``workers2`` is ``--workers=2``, ``threaded`` is
``--workers=0`` as ``make run`` serves), the script

1. clones the template database (``--template``, default itims_tpl) into a
   throw-away database, updates helpdesk_itims from that root, raises the submit
   rate limit (``helpdesk_itims.rate_limit_submit`` = 100000/600) and, unless
   ``--cap 0``, every technician's cap to ``--cap`` so that every submission is
   assigned (the engine's worst case: each one locks a technician);
2. starts the server on 127.0.0.1 (``--port``), logging to a file;
3. runs ``--clients`` concurrent clients for ``--duration`` seconds that submit
   the public form (GET /soporte for the CSRF token and the session cookie, then
   POST /soporte/enviar with a demo national ID and valid fields), then the same
   through XML-RPC (``helpdesk.ticket`` ``create`` as admin);
4. prints one JSON line per figure and appends it to bench/results.jsonl:
   submissions/s, p50, p95 (s), failed submissions (not answered 200 with a ticket
   number, or an XML-RPC fault), request replays counted from the server log
   ("tries left": Odoo's retry after a serialization failure or lock conflict) and
   "could not serialize" lines, and the tickets of the run left unassigned while a
   technician of their team had room, 15 s after the clients stopped (time for
   the dispatch cron). The first root is the baseline of the others' ratios.

The clients are a plain thread pool with ``requests`` (one session per client, a
new submission as soon as the previous one answered): a closed-loop load like 8
people submitting one after the other, which is what the figures describe; locust
would add a dependency without measuring anything else.

    . .cache/env
    python bench/load_intake.py --root before=/work/wt-engine-base --root after=.
    python bench/load_intake.py --root after=. --deferred   # + the cron-only variant
"""

import argparse
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import xmlrpc.client
from pathlib import Path

import psycopg2
import requests

HERE = Path(__file__).resolve().parent
ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo-18.0"))
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
NUMBER = re.compile(r"INC-\d{4}-\d+")
TECHNICIAN = """EXISTS (SELECT 1 FROM res_groups_users_rel g
                JOIN ir_model_data d ON d.res_id = g.gid AND d.model = 'res.groups'
                 AND d.module = 'helpdesk_itims' AND d.name = 'group_itims_technician'
               WHERE g.uid = u.id)"""
UNASSIGNED_WITH_ROOM = """
SELECT count(*) FROM helpdesk_ticket t
 JOIN helpdesk_ticket_team team ON team.id = t.team_id
WHERE t.id > %(since)s AND t.user_id IS NULL AND t.itims_state = 'registered'
  AND team.itims_assignment_method != 'manual'
  AND EXISTS (
    SELECT 1 FROM helpdesk_ticket_team_res_users_rel rel
      JOIN res_users u ON u.id = rel.res_users_id
     WHERE rel.helpdesk_ticket_team_id = t.team_id AND u.active AND u.itims_on_duty
       AND EXISTS (SELECT 1 FROM res_groups_users_rel g
                JOIN ir_model_data d ON d.res_id = g.gid AND d.model = 'res.groups'
                 AND d.module = 'helpdesk_itims' AND d.name = 'group_itims_technician'
               WHERE g.uid = u.id)
       AND (SELECT count(*) FROM helpdesk_ticket x
             WHERE x.user_id = u.id AND x.itims_state = 'in_progress')
           < u.itims_max_active_tickets)
"""


def pg_args(conf):
    return {k: conf[f"db_{k}"] for k in ("host", "port", "user") if conf.get(f"db_{k}")}


def read_conf(path):
    conf = {}
    for line in Path(path).read_text().splitlines():
        if "=" in line:
            key, value = (part.strip() for part in line.split("=", 1))
            conf[key] = value
    return conf


def prepare_database(args, conf, label, root):
    """Clone the template, update helpdesk_itims from ``root``, set the run's knobs."""
    db = f"engine_bench_{label}"
    env = dict(os.environ, PGHOST=conf.get("db_host", ""), PGPORT=conf.get("db_port", ""))
    env["PGUSER"] = conf.get("db_user", "")
    subprocess.run(["dropdb", "--if-exists", "--force", db], check=True, env=env)
    subprocess.run(["createdb", "-T", args.template, db], check=True, env=env)
    filestore = Path(args.data_dir) / "filestore"
    template_store = Path(conf["data_dir"]) / "filestore" / args.template
    if not template_store.exists():
        template_store = Path("/work/main/.cache/data/filestore") / args.template
    shutil.rmtree(filestore / db, ignore_errors=True)
    shutil.copytree(template_store, filestore / db)
    odoo(args, conf, root, db, ["-u", "helpdesk_itims", "--stop-after-init"], wait=True)
    with psycopg2.connect(dbname=db, **pg_args(conf)) as cnx, cnx.cursor() as cr:
        cr.execute(
            "INSERT INTO ir_config_parameter (key, value) VALUES (%s, %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            ("helpdesk_itims.rate_limit_submit", "100000/600"),
        )
        if args.deferred_label == label:
            cr.execute(
                "INSERT INTO ir_config_parameter (key, value) VALUES "
                "('helpdesk_itims.dispatch_deferred', '1')"
            )
        if args.cap:
            cr.execute("UPDATE res_users SET itims_max_active_tickets = %s", (args.cap,))
        cr.execute("SELECT identification_id FROM hr_employee WHERE identification_id ~ '^\\d{8}$'")
        ids = [row[0] for row in cr.fetchall()]
        cr.execute("SELECT id FROM helpdesk_ticket_category WHERE active ORDER BY id LIMIT 1")
        category = cr.fetchone()[0]
        cr.execute(
            "SELECT DISTINCT rel.helpdesk_ticket_team_id"
            " FROM helpdesk_ticket_team_res_users_rel rel"
            " JOIN res_users u ON u.id = rel.res_users_id WHERE " + TECHNICIAN.replace("\n", " ")
        )
        teams = [row[0] for row in cr.fetchall()]
    return db, ids, category, teams


def odoo(args, conf, root, db, extra, wait=False, log=None):
    addons = [str(Path(root).resolve())] + conf["addons_path"].split(",")[1:]
    cmd = [
        sys.executable,
        str(ODOO_SRC / "odoo-bin"),
        f"--addons-path={','.join(addons)}",
        f"--data-dir={args.data_dir}",
        f"--db_host={conf.get('db_host', '')}",
        f"--db_port={conf.get('db_port', '')}",
        f"--db_user={conf.get('db_user', '')}",
        "-d",
        db,
        f"--db-filter=^{db}$",
        "--log-level=info" if log else "--log-level=warn",
        *extra,
    ]
    if log:
        cmd.append(f"--logfile={log}")
    if wait:
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        return None
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_up(url, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/web/login", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise RuntimeError(f"{url} did not start")


def http_client(url, ids, category, index):
    session = requests.Session()

    def submit(count):
        page = session.get(f"{url}/soporte", timeout=60)
        token = TOKEN.search(page.text)
        data = {
            "csrf_token": token.group(1) if token else "",
            "national_id": ids[(index * 7919 + count) % len(ids)],
            "category_id": str(category),
            "title": f"Load test {index}-{count}",
            "description": "The printer of the office does not print since this morning.",
        }
        response = session.post(f"{url}/soporte/enviar", data=data, timeout=120)
        return response.status_code == 200 and bool(NUMBER.search(response.text))

    return submit


def xmlrpc_client(url, db, teams, index):
    uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").authenticate(db, "admin", "admin", {})
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def submit(count):
        vals = {
            "name": f"XML-RPC load {index}-{count}",
            "description": "<p>Created through XML-RPC</p>",
            "team_id": teams[(index + count) % len(teams)],
        }
        try:
            models.execute_kw(db, uid, "admin", "helpdesk.ticket", "create", [vals])
        except (xmlrpc.client.Fault, xmlrpc.client.ProtocolError):
            return False
        return True

    return submit


def drive(clients, duration):
    """Run the clients in a closed loop; return (latencies, failures)."""
    latencies, failures, lock = [], [0], threading.Lock()
    deadline = time.monotonic() + duration

    def loop(submit):
        count = 0
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                ok = submit(count)
            except requests.RequestException:
                ok = False
            with lock:
                latencies.append(time.monotonic() - started)
                failures[0] += not ok
            count += 1

    threads = [threading.Thread(target=loop, args=(submit,)) for submit in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures[0]


def max_ticket_id(conf, db):
    with psycopg2.connect(dbname=db, **pg_args(conf)) as cnx, cnx.cursor() as cr:
        cr.execute("SELECT COALESCE(MAX(id), 0) FROM helpdesk_ticket")
        return cr.fetchone()[0]


def unassigned_with_room(conf, db, since):
    with psycopg2.connect(dbname=db, **pg_args(conf)) as cnx, cnx.cursor() as cr:
        cr.execute(UNASSIGNED_WITH_ROOM, {"since": since})
        return cr.fetchone()[0]


def run_mode(args, conf, label, root, mode, prepared):
    db, ids, category, teams = prepared
    url = f"http://127.0.0.1:{args.port}"
    log = Path(args.data_dir) / f"{db}-{mode}.log"
    log.unlink(missing_ok=True)
    workers = "--workers=2" if mode == "workers2" else "--workers=0"
    server = odoo(
        args,
        conf,
        root,
        db,
        [workers, "--http-interface=127.0.0.1", f"--http-port={args.port}"],
        log=log,
    )
    figures = {}
    try:
        wait_up(url)
        for channel in ("http", "xmlrpc"):
            since = max_ticket_id(conf, db)
            offset = log.stat().st_size
            if channel == "http":
                clients = [http_client(url, ids, category, i) for i in range(args.clients)]
            else:
                clients = [xmlrpc_client(url, db, teams, i) for i in range(args.clients)]
            latencies, failed = drive(clients, args.duration)
            time.sleep(15)  # let the dispatch cron serve what was deferred
            with log.open(errors="replace") as handle:
                handle.seek(offset)
                text = handle.read()
            quantiles = statistics.quantiles(latencies, n=100)
            prefix = f"{mode}.{channel}"
            figures |= {
                f"{prefix}.submissions_per_s": (len(latencies) / args.duration, "1/s"),
                f"{prefix}.p50": (quantiles[49], "s"),
                f"{prefix}.p95": (quantiles[94], "s"),
                f"{prefix}.submissions": (len(latencies), "count"),
                f"{prefix}.failed": (failed, "count"),
                f"{prefix}.replays": (text.count("tries left"), "count"),
                f"{prefix}.could_not_serialize": (text.count("could not serialize"), "count"),
                f"{prefix}.unassigned_with_room": (
                    unassigned_with_room(conf, db, since),
                    "count",
                ),
            }
    finally:
        server.terminate()
        server.wait(timeout=60)
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", action="append", required=True, help="label=addons root")
    parser.add_argument("-c", "--config", default=".cache/odoo.conf", help="database settings")
    parser.add_argument("--template", default="itims_tpl")
    parser.add_argument("--modes", default="workers2,threaded")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--cap", type=int, default=1000, help="0: keep the demo caps")
    parser.add_argument("--port", type=int, default=18110)
    parser.add_argument(
        "--deferred",
        action="store_true",
        help="also run the last root with helpdesk_itims.dispatch_deferred (cron only)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the throw-away databases")
    args = parser.parse_args()
    conf = read_conf(args.config)
    roots = [tuple(item.split("=", 1)) for item in args.root]
    if args.deferred:
        roots.append((f"{roots[-1][0]}_deferred", roots[-1][1]))
    args.deferred_label = roots[-1][0] if args.deferred else None
    args.data_dir = tempfile.mkdtemp(prefix="itims-load-")
    results = {}
    stamp = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    try:
        for label, root in roots:
            prepared = prepare_database(args, conf, label, root)
            for mode in args.modes.split(","):
                results[label] = results.get(label, {}) | run_mode(
                    args, conf, label, root, mode, prepared
                )
            if not args.keep:
                subprocess.run(["dropdb", "--force", prepared[0]], check=False)
    finally:
        shutil.rmtree(args.data_dir, ignore_errors=True)
    baseline = results[roots[0][0]]
    with (HERE / "results.jsonl").open("a") as out:
        for label, figures in results.items():
            for name, (value, unit) in figures.items():
                base = baseline.get(name, (None,))[0] if label != roots[0][0] else None
                line = json.dumps(
                    {
                        "bench": "load_intake",
                        "at": stamp,
                        "name": f"{label}.{name}",
                        "value": round(value, 3),
                        "unit": unit,
                        "baseline": None if base is None else round(base, 3),
                        "ratio": round(value / base, 3) if base else None,
                        "clients": args.clients,
                        "duration_s": args.duration,
                        "cap": args.cap,
                    }
                )
                print(line, flush=True)
                out.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
