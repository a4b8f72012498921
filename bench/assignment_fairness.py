#!/usr/bin/env python
"""Fairness of the ITIMS assignment methods, measured on the real engine.

Runs the four-week simulation of ``bench/assignment_simulation.py``
(5 technicians, cap 8, 10 arrivals a day, exponential resolution times of mean
57.6 h: 60 % of capacity) for every assignment method and every seed, in one
transaction of an installed database that is rolled back at the end (nothing is
kept), and prints the weekly standard deviation of tickets assigned per technician
and the time-averaged standard deviation of the active load, per seed and averaged.

    . .cache/env
    python bench/assignment_fairness.py -c .cache/odoo.conf -d <db with helpdesk_itims>
    python bench/assignment_fairness.py -c .cache/odoo.conf -d <db> --seeds 2026,1,2,3,4
"""

import argparse
import statistics
import sys
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True, help="database with helpdesk_itims")
    parser.add_argument("--seeds", default="2026", help="comma separated (default: 2026)")
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--cap", type=int, default=8)
    parser.add_argument("--methods", help="comma separated (default: all four)")
    args = parser.parse_args()

    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    from assignment_simulation import METHODS, format_result, run_simulation

    methods = args.methods.split(",") if args.methods else METHODS
    seeds = [int(seed) for seed in args.seeds.split(",")]
    registry = Registry(args.database)
    results = {method: [] for method in methods}
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        try:
            for seed in seeds:
                for method in methods:
                    started = time.monotonic()
                    result = run_simulation(env, method, seed=seed, weeks=args.weeks, cap=args.cap)
                    results[method].append(result)
                    print(
                        f"seed {seed:<5} {format_result(result)}  "
                        f"({time.monotonic() - started:.1f} s)",
                        flush=True,
                    )
        finally:
            cr.rollback()

    print(f"\nMean over {len(seeds)} seed(s) {seeds}:")
    print(f"{'method':<13} {'weekly_std':>10} {'load_std':>9} {'max_load':>9}  worst weekly/load")
    for method, runs in results.items():
        weekly = [run["weekly_std"] for run in runs]
        load = [run["load_std"] for run in runs]
        print(
            f"{method:<13} {statistics.mean(weekly):>10.2f} {statistics.mean(load):>9.2f} "
            f"{max(run['max_load'] for run in runs):>6}/{args.cap}  "
            f"{max(weekly):.2f} / {max(load):.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
