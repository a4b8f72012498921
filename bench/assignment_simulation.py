"""Fairness simulation of the assignment engine, driven through the ORM.

Used by bench/assignment_fairness.py and by helpdesk_itims/tests/test_simulation.py
(which loads this file from the repository): it lives here so that the benchmarks
import nothing from the addons' tests.

Not a model of the engine: every ticket is created, resolved (and, for the manual
method, taken) through the real ``helpdesk.ticket`` methods, and the engine assigns
them. Time is discrete (one-hour steps) and frozen with freezegun at each step, so
that the ISO-week counts of the balanced method follow the simulated clock.

Scenario (seeded, identical for every method): ``technicians`` technicians with a
cap of ``cap`` active tickets; Poisson arrivals of ``arrivals_per_day`` tickets a
day around the clock during ``weeks`` weeks; each ticket is resolved an
exponentially distributed time (mean ``mean_resolution_hours``) after it was
assigned. With the defaults (10 a day, 57.6 h) the offered load is 24 tickets in
progress on average, 60 % of the 40 places (5 x 8).

Figures, as defined in DESIGN.md:
- weekly_std: mean over the ISO weeks of the population standard deviation of the
  tickets assigned per technician that week;
- load_std: time average (one sample an hour) of the population standard deviation
  of the technicians' active tickets;
- max_load: the highest active load seen after any event (must stay <= cap).
"""

import math
import random
import statistics
from datetime import datetime, timedelta

from freezegun import freeze_time

SIMULATION_CONTEXT = {
    "mail_create_nolog": True,
    "mail_notrack": True,
    "tracking_disable": True,
    "no_reset_password": True,
    "mail_auto_subscribe_no_notify": True,
}
METHODS = ("manual", "round_robin", "least_loaded", "balanced")


def _poisson(rng, mean):
    # Knuth's method: fine for small means
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def build_scenario(seed, weeks, arrivals_per_day, mean_resolution_hours):
    """Arrivals per hour and each ticket's resolution time, in whole hours."""
    rng = random.Random(seed)
    hours = weeks * 7 * 24
    arrivals = [_poisson(rng, arrivals_per_day / 24) for _ in range(hours)]
    durations = [
        max(1, math.ceil(rng.expovariate(1 / mean_resolution_hours))) for _ in range(sum(arrivals))
    ]
    return arrivals, durations


def run_simulation(
    env,
    method,
    seed=2026,
    technicians=5,
    cap=8,
    weeks=4,
    arrivals_per_day=10.0,
    mean_resolution_hours=57.6,
    start=datetime(2026, 3, 4, 12, 0),
):
    """Run the scenario with the team's assignment ``method``; return the figures."""
    env = env(context=dict(env.context, **SIMULATION_CONTEXT))
    Ticket = env["helpdesk.ticket"]
    users = env["res.users"]
    technician_group = env.ref("helpdesk_itims.group_itims_technician")
    for index in range(technicians):
        # no password: hashing one costs more than the whole week of a technician
        users |= users.create(
            {
                "name": f"Simulated technician {index + 1}",
                "login": f"itims_sim_{method}_{seed}_{index}",
                "groups_id": [(6, 0, technician_group.ids)],
                "itims_max_active_tickets": cap,
            }
        )
    team = env["helpdesk.ticket.team"].create(
        {
            "name": f"Simulation {method}",
            "itims_assignment_method": method,
            "user_ids": [(6, 0, users.ids)],
        }
    )
    arrivals, durations = build_scenario(seed, weeks, arrivals_per_day, mean_resolution_hours)
    week_start = env["itims.assignment"]._week_start(start)
    rng = random.Random(seed + 1)  # who looks at the queue first (manual method)

    due = {}  # hour -> tickets to resolve then
    pending = Ticket  # created, not yet assigned
    duration_of, created_at = {}, {}
    weekly = [dict.fromkeys(users.ids, 0) for _ in range(weeks)]
    load_stds, max_load = [], 0
    waits = []

    def observe(hour):
        """Schedule the tickets the last event assigned and check the caps."""
        nonlocal pending, max_load
        assigned = pending.filtered("user_id")
        pending -= assigned
        for ticket in assigned:
            due.setdefault(hour + duration_of[ticket.id], []).append(ticket)
            weekly[hour // 168][ticket.user_id.id] += 1
            waits.append((ticket.assigned_date - created_at[ticket.id]).total_seconds() / 3600)
        loads = users._itims_active_ticket_counts()
        max_load = max(max_load, *loads.values()) if loads else max_load
        return loads

    created = 0
    with freeze_time(week_start) as frozen:
        for hour in range(weeks * 7 * 24):
            now = week_start + timedelta(hours=hour)
            frozen.move_to(now)
            for ticket in due.pop(hour, []):
                ticket._itims_close("resolved", "Solved in the simulation.")
                observe(hour)
            if method == "manual":
                for user in users.sorted(lambda u: rng.random()):
                    waiting = pending.filtered(lambda t: not t.user_id)[:1]
                    if waiting:
                        waiting._itims_take(user)
                        observe(hour)
            for _ in range(arrivals[hour]):
                ticket = Ticket.create(
                    {
                        "name": f"Simulated incident {created}",
                        "description": "<p>Simulated</p>",
                        "team_id": team.id,
                    }
                )
                created_at[ticket.id] = now
                duration_of[ticket.id] = durations[created]
                created += 1
                pending |= ticket
                observe(hour)
            loads = users._itims_active_ticket_counts()
            load_stds.append(statistics.pstdev([loads.get(uid, 0) for uid in users.ids]))
    return {
        "method": method,
        "tickets": created,
        "assigned": sum(sum(week.values()) for week in weekly),
        "weekly_std": statistics.mean(statistics.pstdev(week.values()) for week in weekly),
        "load_std": statistics.mean(load_stds),
        "max_load": max_load,
        "cap": cap,
        "mean_wait_hours": statistics.mean(waits) if waits else 0.0,
    }


def format_result(result):
    """One line of the fairness table."""
    return (
        f"{result['method']:<13} weekly_std {result['weekly_std']:.2f}  "
        f"load_std {result['load_std']:.2f}  max_load {result['max_load']}/{result['cap']}  "
        f"tickets {result['tickets']}  mean_wait {result['mean_wait_hours']:.1f} h"
    )
