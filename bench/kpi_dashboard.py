"""Time itims.kpi.dashboard_data() and summary() on an installed database.

Usage (repository root, environment loaded with ``. .cache/env``)::

    python bench/kpi_dashboard.py --db itims [--days 30 --days 120] [--repeat 5]

Prints, per period ending today, the median and worst time of summary() and of
dashboard_data() (summary of the period, of the previous period and of each week, plus
the two charts) as the ITIMS manager ``jefesoporte`` of the demo data would call it,
and the figures it returns (how plausible the demo data is).
"""

import argparse
import datetime
import os
import statistics
import sys
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("ITIMS_DB", "itims"))
    parser.add_argument("--config", default=".cache/odoo.conf")
    parser.add_argument("--days", type=int, action="append")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--login", default="jefesoporte")
    args = parser.parse_args()
    sys.path.insert(0, os.environ.get("ODOO_SRC", "/opt/odoo-18.0"))
    import odoo  # pylint: disable=import-outside-toplevel

    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        user = env["res.users"].search([("login", "=", args.login)], limit=1)
        kpi = env["itims.kpi"].with_user(user).with_context(tz=user.tz or "America/Lima")
        today = datetime.date.today()
        for days in args.days or [30, 120]:
            date_from = today - datetime.timedelta(days=days - 1)
            timings = {"summary": [], "dashboard_data": []}
            for _run in range(args.repeat):
                for name in ("summary", "dashboard_data"):
                    env.invalidate_all()
                    start = time.perf_counter()
                    result = getattr(kpi, name)(date_from, today)
                    timings[name].append((time.perf_counter() - start) * 1000)
                    if name == "summary":
                        figures = result
            print(f"period {date_from} .. {today} ({days} days), {args.repeat} runs:")
            for name, values in timings.items():
                print(
                    f"  {name:15} median {statistics.median(values):8.1f} ms"
                    f"   worst {max(values):8.1f} ms"
                )
            for key in (
                "tickets",
                "resolution_rate",
                "avg_resolution_minutes",
                "avg_response_minutes",
                "notification_open_rate",
                "chatbot_answer_rate",
                "satisfaction_pct",
                "sla_compliance",
                "fairness_weekly_std",
            ):
                print(f"  {key:24} {figures[key]}")
        cr.rollback()


if __name__ == "__main__":
    main()
