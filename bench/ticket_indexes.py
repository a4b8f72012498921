"""Why helpdesk_itims indexes columns helpdesk_mgmt leaves bare.

Builds two copies of the relevant part of ``helpdesk_ticket`` on a throw-away database
(N tickets; ``duplicate_id`` is a self foreign key ON DELETE SET NULL as in helpdesk_mgmt):
one as helpdesk_mgmt leaves it, one with the indexes helpdesk_itims adds. Then times, side
by side, what the help desk does: look a ticket up by number, delete the oldest tickets,
list the FIFO queue of a team, and count tickets closed in a month.

    .venv/bin/python bench/ticket_indexes.py [--tickets 200000] [--repeat 5]

Uses PGHOST/PGPORT/PGUSER like the rest of the project (run `. .cache/env` first).
"""

import argparse
import os
import statistics
import time

import psycopg2
from psycopg2 import sql

INDEXES = [
    "CREATE INDEX ON {t} (number)",
    "CREATE INDEX ON {t} (duplicate_id) WHERE duplicate_id IS NOT NULL",
    "CREATE INDEX ON {t} (create_date)",
    "CREATE INDEX ON {t} (closed_date)",
    (
        "CREATE INDEX ON {t} (team_id, create_date, id) "
        "WHERE user_id IS NULL AND itims_state = 'registered'"
    ),
]


def build(cur, table, n, indexed):
    t = sql.Identifier(table)
    cur.execute(
        sql.SQL(
            """
        CREATE TABLE {t} (
            id serial PRIMARY KEY,
            number varchar,
            duplicate_id integer REFERENCES {t}(id) ON DELETE SET NULL,
            team_id integer,
            user_id integer,
            itims_state varchar,
            create_date timestamp,
            closed_date timestamp
        )"""
        ).format(t=t)
    )
    # deterministic history: 1 ticket every 2 minutes, 2% unassigned registered,
    # 1% duplicates of an earlier ticket
    cur.execute(
        sql.SQL(
            """
        INSERT INTO {t} (number, duplicate_id, team_id, user_id, itims_state,
                         create_date, closed_date)
        SELECT 'INC-' || (2020 + g / 100000) || '-' || lpad(mod(g, 100000)::text, 6, '0'),
               CASE WHEN mod(g, 100) = 7 AND g > 10 THEN g - 10 END,
               1 + mod(g, 3),
               CASE WHEN mod(g, 50) = 0 THEN NULL ELSE 1 + mod(g, 5) END,
               CASE WHEN mod(g, 50) = 0 THEN 'registered' ELSE 'resolved' END,
               timestamp '2020-01-01' + g * interval '2 minutes',
               CASE WHEN mod(g, 50) = 0 THEN NULL
                    ELSE timestamp '2020-01-01' + g * interval '2 minutes' + interval '3 hours' END
        FROM generate_series(1, %s) g"""
        ).format(t=t),
        [n],
    )
    if indexed:
        for ddl in INDEXES:
            cur.execute(sql.SQL(ddl).format(t=t))
    cur.execute(sql.SQL("ANALYZE {t}").format(t=t))


def timed(cur, query, params, repeat):
    samples = []
    for _ in range(repeat):
        cur.execute("SAVEPOINT bench")
        start = time.perf_counter()
        cur.execute(query, params)
        samples.append(time.perf_counter() - start)
        cur.execute("ROLLBACK TO SAVEPOINT bench")
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=200000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--delete", type=int, default=500, help="oldest tickets deleted")
    args = parser.parse_args()
    dbname = f"itims_bench_{os.getpid()}"
    admin = psycopg2.connect(dbname="postgres")
    admin.autocommit = True
    admin.cursor().execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
    try:
        conn = psycopg2.connect(dbname=dbname)
        cur = conn.cursor()
        print(f"building 2 x {args.tickets} tickets ...", flush=True)
        build(cur, "bare", args.tickets, indexed=False)
        build(cur, "itims", args.tickets, indexed=True)
        conn.commit()
        probe = f"INC-{2020 + (args.tickets // 2) // 100000}-{(args.tickets // 2) % 100000:06d}"
        cases = [
            ("ticket by number", "SELECT id FROM {t} WHERE number = %s", [probe]),
            (
                f"delete {args.delete} oldest",
                "DELETE FROM {t} WHERE id IN (SELECT id FROM {t} ORDER BY create_date LIMIT %s)",
                [args.delete],
            ),
            (
                "FIFO queue of a team (10 oldest)",
                (
                    "SELECT id FROM {t} WHERE team_id = 2 AND user_id IS NULL "
                    "AND itims_state = 'registered' ORDER BY create_date, id LIMIT 10"
                ),
                [],
            ),
            (
                "tickets closed in a month",
                "SELECT count(*) FROM {t} WHERE closed_date >= %s AND closed_date < %s",
                ["2020-03-01", "2020-04-01"],
            ),
        ]
        print(f"{'operation':36} {'bare (ms)':>12} {'itims (ms)':>12} {'speed-up':>9}")
        for label, query, params in cases:
            bare = timed(cur, sql.SQL(query).format(t=sql.Identifier("bare")), params, args.repeat)
            ours = timed(cur, sql.SQL(query).format(t=sql.Identifier("itims")), params, args.repeat)
            print(f"{label:36} {bare * 1000:12.2f} {ours * 1000:12.2f} {bare / ours:8.0f}x")
        conn.close()
    finally:
        admin.cursor().execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname))
        )
        admin.close()


if __name__ == "__main__":
    main()
