"""Ticket creation does not wait for Telegram (issue 14, acceptance).

Creates tickets one transaction each (create + commit, as a web request does) in a
*Manual* team of 5 linked technicians plus a group chat (6 notifications a ticket),
side by side:

- ``disabled``: no bot token (the addon queues nothing: the cost of the addon is nil);
- ``refused``: bot token set, Bot API URL on a port where nothing listens
  (connection refused);
- ``silent``: bot token set, Bot API URL on a server that accepts connections and never
  answers.

Then runs the sender once against ``silent`` to show where the wait goes (the cron, one
client timeout per message, never the request). Works on a throw-away copy of a database
with the ITIMS addons installed (by default the template ``make test`` cached; see
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


def setup(registry, tag):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"no_reset_password": True})
        group = env.ref("helpdesk_itims.group_itims_technician")
        users = env["res.users"]
        for index in range(5):
            users |= env["res.users"].create(
                {
                    "name": f"Bench Técnico {index}",
                    "login": f"bench_tg_{tag}_{index}",
                    "groups_id": [(6, 0, group.ids)],
                    "telegram_chat_id": str(990000000 + index),
                }
            )
        team = env["helpdesk.ticket.team"].create(
            {
                "name": f"Bench Telegram {tag}",
                "itims_assignment_method": "manual",
                "itims_telegram_chat_id": "-1009900000000",
                "user_ids": [(6, 0, users.ids)],
            }
        )
        return team.id


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
            queued += env["itims.telegram.message"].search_count([("ticket_id", "=", ticket.id)])
        samples.append((time.perf_counter() - start) * 1000)
    return samples, queued


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--template", required=True, help="database with the addons installed")
    parser.add_argument("--tickets", type=int, default=40)
    parser.add_argument("--config", default=".cache/odoo.conf")
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "--log-level=warn"])
    db = f"bench_tg_{uuid.uuid4().hex[:8]}"
    subprocess.run(
        ["psql", "-d", "postgres", "-qc", f'CREATE DATABASE "{db}" TEMPLATE "{args.template}"'],
        check=True,
    )
    sock = None
    try:
        registry = odoo.modules.registry.Registry.new(db)
        team_id = setup(registry, uuid.uuid4().hex[:6])
        sock, silent_url = silent_server()
        variants = [
            ("disabled", "", "https://api.telegram.org"),
            ("refused", "7000000001:BENCH", closed_port()),
            ("silent", "7000000001:BENCH", silent_url),
        ]
        create_tickets(registry, team_id, 5)  # warm-up
        print(f"{args.tickets} tickets, one transaction each; milliseconds per creation")
        print(f"{'variant':<10} {'median':>8} {'p95':>8} {'mean':>8} {'queued msgs':>12}")
        for name, token, url in variants:
            configure(registry, token, url)
            samples, queued = create_tickets(registry, team_id, args.tickets)
            p95 = statistics.quantiles(samples, n=20)[-1]
            print(
                f"{name:<10} {statistics.median(samples):>8.1f} {p95:>8.1f} "
                f"{statistics.mean(samples):>8.1f} {queued:>12}"
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
        subprocess.run(
            ["psql", "-d", "postgres", "-qc", f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'],
            check=False,
        )


if __name__ == "__main__":
    main()
