"""Ticket creation does not wait for Telegram (issue 14, acceptance).

Creates tickets one transaction each (create + commit, as a web request does) in a
*Manual* team of 5 linked technicians plus a group chat (6 notifications a ticket),
side by side, in interleaved rounds (so that a busy moment of the machine hits every
variant alike):

- ``uninstalled``: the same database with helpdesk_itims_telegram uninstalled: the
  cost of ITIMS without Telegram. The KPI addon, which depends on it (and adds SLA lines
  to every ticket), is uninstalled from both databases, so that only Telegram differs;
- ``disabled``: no bot token (the addon queues nothing);
- ``refused``: bot token set, Bot API URL on a port where nothing listens
  (connection refused);
- ``silent``: bot token set, Bot API URL on a server that accepts connections and never
  answers;
- ``refused+rule``: ``refused`` with the demo automation rule (high-priority tickets to
  the managers) active. The other variants run with it archived: any automation rule
  triggered on write makes base_automation search and filter its rules at every
  recomputation of a ticket's stored fields, a cost of Odoo's, not of the outbox, and a
  database without demo data has no such rule.

Then runs the sender once against ``silent`` to show where the wait goes (the cron, one
client timeout per message, never the request). Works on two throw-away copies of a
database with the ITIMS addons installed (the template ``make test`` cached; see
``scripts/test.sh``), dropped at the end.

    . .cache/env; python bench/telegram_ticket_create.py --template <db> [--tickets 40]
"""

import argparse
import socket
import statistics
import subprocess
import threading
import time
import uuid

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import config

PARAM = "helpdesk_itims_telegram.%s"


def silent_server():
    """A TCP server that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    held = []

    def accept():
        while True:
            try:
                conn, _addr = sock.accept()
            except OSError:
                return
            held.append(conn)

    threading.Thread(target=accept, daemon=True).start()
    return sock, f"http://127.0.0.1:{sock.getsockname()[1]}"


def closed_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"


def setup(registry, tag, linked=True):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"no_reset_password": True})
        group = env.ref("helpdesk_itims.group_itims_technician")
        users = env["res.users"]
        for index in range(5):
            vals = {
                "name": f"Bench Técnico {index}",
                "login": f"bench_tg_{tag}_{index}",
                "groups_id": [(6, 0, group.ids)],
            }
            if linked:
                vals["telegram_chat_id"] = str(990000000 + index)
            users |= env["res.users"].create(vals)
        team_vals = {
            "name": f"Bench Telegram {tag}",
            "itims_assignment_method": "manual",
            "user_ids": [(6, 0, users.ids)],
        }
        if linked:
            team_vals["itims_telegram_chat_id"] = "-1009900000000"
        return env["helpdesk.ticket.team"].create(team_vals).id


def automation_rule(registry, active):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        rule = env.ref("helpdesk_itims_telegram.base_automation_high_priority_demo", False)
        if rule:
            rule.active = active


def configure(registry, token, base_url):
    with registry.cursor() as cr:
        ICP = api.Environment(cr, SUPERUSER_ID, {})["ir.config_parameter"]
        ICP.set_param(PARAM % "bot_token", token)
        ICP.set_param(PARAM % "api_base_url", base_url)
        ICP.set_param(PARAM % "timeout", "5")


def create_tickets(registry, team_id, count):
    samples, queued = [], 0
    for index in range(count):
        start = time.perf_counter()
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"mail_create_nolog": True})
            ticket = env["helpdesk.ticket"].create(
                {"name": f"Bench {index}", "description": "<p>Bench</p>", "team_id": team_id}
            )
            cr.commit()
        samples.append((time.perf_counter() - start) * 1000)
        if "itims.telegram.message" in registry:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                queued += env["itims.telegram.message"].search_count(
                    [("ticket_id", "=", ticket.id)]
                )
    return samples, queued


def copy_db(template):
    db = f"bench_tg_{uuid.uuid4().hex[:8]}"
    subprocess.run(
        ["psql", "-d", "postgres", "-qc", f'CREATE DATABASE "{db}" TEMPLATE "{template}"'],
        check=True,
    )
    return db


def uninstall(db, names):
    registry = odoo.modules.registry.Registry.new(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["ir.module.module"].search([("name", "in", names)]).button_immediate_uninstall()
    return odoo.modules.registry.Registry.new(db)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--template", required=True, help="database with the addons installed")
    parser.add_argument("--tickets", type=int, default=40, help="per variant")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--config", default=".cache/odoo.conf")
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "--log-level=warn"])
    dbs = [copy_db(args.template), copy_db(args.template)]
    sock = None
    try:
        registry = uninstall(dbs[0], ["helpdesk_itims_kpi"])
        team_id = setup(registry, uuid.uuid4().hex[:6])
        bare = uninstall(dbs[1], ["helpdesk_itims_kpi", "helpdesk_itims_telegram"])
        bare_team_id = setup(bare, uuid.uuid4().hex[:6], linked=False)
        sock, silent_url = silent_server()
        variants = [
            ("uninstalled", None, None),
            ("disabled", "", "https://api.telegram.org"),
            ("refused", "7000000001:BENCH", closed_port()),
            ("silent", "7000000001:BENCH", silent_url),
            ("refused+rule", "7000000001:BENCH", closed_port()),
        ]
        automation_rule(registry, False)
        create_tickets(registry, team_id, 5)  # warm-up
        create_tickets(bare, bare_team_id, 5)
        results = {name: ([], 0) for name, _token, _url in variants}
        per_round = max(args.tickets // args.rounds, 1)
        for _round in range(args.rounds):
            for name, token, url in variants:
                if token is None:
                    samples, queued = create_tickets(bare, bare_team_id, per_round)
                else:
                    configure(registry, token, url)
                    automation_rule(registry, name.endswith("+rule"))
                    samples, queued = create_tickets(registry, team_id, per_round)
                results[name] = (results[name][0] + samples, results[name][1] + queued)
        print(
            f"{per_round * args.rounds} tickets per variant, one transaction each, "
            f"{args.rounds} interleaved rounds; milliseconds per creation"
        )
        print(f"{'variant':<12} {'median':>8} {'p95':>8} {'mean':>8} {'ratio':>6} {'queued':>7}")
        base = statistics.median(results["uninstalled"][0])
        for name, (samples, queued) in results.items():
            median = statistics.median(samples)
            p95 = statistics.quantiles(samples, n=20)[-1]
            print(
                f"{name:<12} {median:>8.1f} {p95:>8.1f} {statistics.mean(samples):>8.1f} "
                f"{median / base:>6.2f} {queued:>7}"
            )
        configure(registry, "7000000001:BENCH", silent_url)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            start = time.perf_counter()
            env["itims.telegram.message"]._itims_send_pending(budget=12, commit=cr.commit)
            spent = time.perf_counter() - start
            waiting = env["itims.telegram.message"].search_count([("state", "=", "queued")])
        print(
            f"sender cron against the silent server: {spent:.1f} s in timeouts (5 s each), "
            f"{waiting} messages still queued for retry, none lost"
        )
    finally:
        if sock:
            sock.close()
        odoo.sql_db.close_all()
        for db in dbs:
            subprocess.run(
                ["psql", "-d", "postgres", "-qc", f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'],
                check=False,
            )


if __name__ == "__main__":
    main()
