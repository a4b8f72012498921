"""Demo ticket history planner: a few months of realistic IT incidents of a Peruvian office.

Imported only when the demo data loads (``helpdesk.ticket._itims_generate_demo_history``,
called from ``demo/helpdesk_ticket_demo.xml``): production servers never import it.
Pure Python, no ORM writes: it plans, in the office hours of Lima (UTC-5), what was
reported, when, by whom, on which asset, who took it and how it ended; the records
are written by ``history_writer``. Deterministic (``random.Random(seed)``).

The technician each incident goes to is chosen with the engine's own scoring
(``assignment_key``), so the history is what the team's assignment method decides.
The incident texts (Spanish) are data: ``incident_templates.json`` next to this file,
one entry per kind of incident (title, description, the asset types it concerns and
where to find them: the requester's own, their office's, their building's or any;
working minutes to solve it, priority weights low/medium/high/very high, resolution
notes; a note with ``repair`` left a corrective repair on the asset).
"""

import json
import random
from collections import defaultdict
from datetime import datetime, time, timedelta
from itertools import count
from pathlib import Path

import pytz

from ..models.itims_assignment import assignment_key

LIMA = pytz.timezone("America/Lima")
DAY_START, LUNCH_START, LUNCH_END, DAY_END = time(8), time(13), time(14), time(17)
# fixed-date public holidays of Peru (month, day)
HOLIDAYS = {
    (1, 1), (5, 1), (6, 7), (6, 29), (7, 23), (7, 28), (7, 29), (8, 6),
    (8, 30), (10, 8), (11, 1), (12, 8), (12, 9), (12, 25),
}  # fmt: skip
CATALOGUE = Path(__file__).with_name("incident_templates.json")
NEVER = datetime.max
DEFAULT_CAP = 8  # a technician's active tickets when no cap is set


def load_catalogue(path=CATALOGUE):
    """The incident templates and the other texts of the history (Spanish)."""
    with open(path, encoding="utf-8") as file:
        return json.load(file)


# Office hours (local times) ---------------------------------------------------


def is_workday(day):
    return day.weekday() < 5 and (day.month, day.day) not in HOLIDAYS


def next_work_moment(moment):
    """``moment`` when the office is open then, else the next opening time."""
    while True:
        if is_workday(moment.date()):
            clock = moment.time()
            if clock < DAY_START:
                return datetime.combine(moment.date(), DAY_START)
            if LUNCH_START <= clock < LUNCH_END:
                return datetime.combine(moment.date(), LUNCH_END)
            if clock < DAY_END:
                return moment
        moment = datetime.combine(moment.date() + timedelta(days=1), DAY_START)


def add_work_minutes(moment, minutes):
    """Local time ``minutes`` of office hours after ``moment``."""
    moment = next_work_moment(moment)
    left = timedelta(minutes=minutes)
    while True:
        end = LUNCH_START if moment.time() < LUNCH_START else DAY_END
        block_end = datetime.combine(moment.date(), end)
        if left <= block_end - moment:
            return (moment + left).replace(microsecond=0)
        left -= block_end - moment
        moment = next_work_moment(block_end)


def work_minutes_between(start, end):
    """Minutes of office hours from ``start`` to ``end`` (local times)."""
    minutes, moment = 0.0, next_work_moment(start)
    while moment < end:
        block_end = datetime.combine(
            moment.date(), LUNCH_START if moment.time() < LUNCH_START else DAY_END
        )
        minutes += (min(block_end, end) - moment).total_seconds() / 60
        moment = next_work_moment(block_end)
    return minutes


def to_utc(local):
    """Naive UTC datetime (as stored) of a naive Lima time; None stays None."""
    return LIMA.localize(local).astimezone(pytz.utc).replace(tzinfo=None) if local else None


def lima_now(utc_now):
    """Naive Lima time of a naive UTC datetime."""
    return pytz.utc.localize(utc_now).astimezone(LIMA).replace(tzinfo=None)


# What was reported ------------------------------------------------------------


def _asset_pools(assets):
    """Where a requester finds the assets an incident may concern."""
    by_employee, by_department = defaultdict(list), defaultdict(list)
    for asset in assets:
        if asset.employee_id:
            by_employee[asset.employee_id].append(asset)
        if asset.department_id:
            by_department[asset.department_id].append(asset)

    def pool(template, employee, day):
        scope = template["scope"]
        if scope == "employee":
            found = by_employee[employee]
        elif scope == "department":
            found = by_department[employee.department_id]
        elif scope == "building":
            building = employee.department_id.itims_building
            found = [a for a in assets if building and (a.location or "").startswith(building)]
        else:
            found = assets
        return [
            asset
            for asset in found
            if asset.itims_asset_type in template["assets"]
            and (
                asset.itims_lifecycle_status in ("in_use", "in_repair")
                # a retired asset had incidents before it was scrapped
                or asset.itims_lifecycle_status == "retired"
                and asset.scrap_date
                and day < asset.scrap_date
            )
        ]

    return pool


def _report_moments(rng, now_local, days):
    """When incidents were reported: 4 to 8 a working day, a few more on Mondays,
    mostly in the morning, none in the last ten minutes."""
    moments = []
    for offset in range(days, -1, -1):
        day = now_local.date() - timedelta(days=offset)
        if not is_workday(day):
            continue
        for _i in range(rng.randint(4, 7) + (day.weekday() == 0)):
            created = add_work_minutes(
                datetime.combine(day, DAY_START), rng.triangular(0, 479, 90)
            ).replace(second=rng.randint(0, 59))
            if created < now_local - timedelta(minutes=10):
                moments.append(created)
    moments.sort()
    return moments


def _reported_incident(rng, catalogue, pool, requesters, created):
    """One incident reported at ``created``: its kind, requester and asset."""
    categories = catalogue["categories"]
    weights = [group["weight"] for group in categories.values()]
    category = rng.choices(list(categories), weights=weights)[0]
    template = rng.choice(categories[category]["templates"])
    employee = rng.choice(requesters)
    candidates = pool(template, employee, created.date())
    if template["required"] and not candidates:
        owners = [e for e in requesters if pool(template, e, created.date())]
        if owners:
            employee = rng.choice(owners)
            candidates = pool(template, employee, created.date())
        else:
            category, template = "email", rng.choice(categories["email"]["templates"])
    asset = None
    if candidates and (template["required"] or rng.random() < 0.7):
        asset = rng.choice(candidates)
    return {
        "created": created,
        "category": category,
        "template": template,
        "employee": employee,
        "asset": asset,
        "note": rng.choice(template["notes"]),
        "open": False,
    }


def _repair_templates(catalogue, asset_type):
    """(category, template) of the incidents that may leave an asset under repair."""
    return [
        (category, template)
        for category, group in catalogue["categories"].items()
        for template in group["templates"]
        if template["required"]
        and asset_type in template["assets"]
        and any(note["repair"] for note in template["notes"])
    ]


def _open_repairs(rng, catalogue, now_local, requesters, assets):
    """Every asset under repair today has its open incident of the last days."""
    specs = []
    for asset in assets:
        if asset.itims_lifecycle_status != "in_repair":
            continue
        owners = [asset.employee_id] if asset.employee_id else []
        owners = owners or [e for e in requesters if e.department_id == asset.department_id]
        templates = _repair_templates(catalogue, asset.itims_asset_type)
        if not owners or not templates:
            continue
        category, template = rng.choice(templates)
        day, back = now_local.date(), rng.randint(1, 3)
        while back:
            day -= timedelta(days=1)
            back -= is_workday(day)
        created = add_work_minutes(datetime.combine(day, DAY_START), rng.randint(0, 420))
        if created < now_local - timedelta(minutes=10):
            specs.append(
                {
                    "created": created,
                    "category": category,
                    "template": template,
                    "employee": rng.choice(owners),
                    "asset": asset,
                    "note": next(note for note in template["notes"] if note["repair"]),
                    "open": True,
                }
            )
    return specs


def plan_incidents(rng, catalogue, now_local, days, requesters, assets):
    """What was reported, when, by whom and on which asset (local times), oldest first."""
    pool = _asset_pools(assets)
    specs = [
        _reported_incident(rng, catalogue, pool, requesters, created)
        for created in _report_moments(rng, now_local, days)
    ]
    specs += _open_repairs(rng, catalogue, now_local, requesters, assets)
    specs.sort(key=lambda spec: spec["created"])
    return specs


# Who took it and how it ended --------------------------------------------------


def _plan_outcome(rng, now_local, spec, responded, priority):
    """When the incident was closed (``NEVER``: not yet), and whether cancelled."""
    if spec["open"]:
        return NEVER, False
    if rng.random() < 0.05:
        return add_work_minutes(responded, rng.randint(10, 240)), True
    low, high = spec["template"]["minutes"]
    minutes = rng.triangular(low, high, low + (high - low) / 4)
    minutes *= {"0": 1.4, "1": 1.0, "2": 0.7, "3": 0.5}[priority]
    closed = add_work_minutes(responded, max(minutes, 5))
    # most incidents of the last two working days are still being worked on
    if add_work_minutes(spec["created"], 960) > now_local and rng.random() < 0.6:
        closed = NEVER
    return closed, False


class _Desk:
    """The technicians' state while the history unfolds: the engine's inputs."""

    def __init__(self, rng, now_local, days, technicians, method):
        self.technicians, self.method = technicians, method
        self.busy, self.weekly, self.serial = defaultdict(list), defaultdict(int), {}
        self.rotation = count(1)
        self.away = {}
        # two technicians were away for a week each
        for tech in technicians[:2]:
            first = now_local.date() - timedelta(days=rng.randint(20, max(days - 10, 21)))
            self.away[tech] = (first, first + timedelta(days=7))

    def load(self, tech, moment):
        """In Progress tickets of ``tech`` at ``moment``: what the cap counts."""
        return sum(1 for start, end in self.busy[tech] if start <= moment < end)

    def available(self, tech, moment):
        first, last = self.away.get(tech, (None, None))
        if first and first <= moment.date() < last:
            return False
        return self.load(tech, moment) < (tech.itims_max_active_tickets or DEFAULT_CAP)

    def candidates(self, moment):
        """Who could receive a ticket at ``moment`` (or the next time someone can)."""
        candidates = [t for t in self.technicians if self.available(t, moment)]
        while not candidates:  # everybody full or away: wait for a ticket to be closed
            ends = [
                end for t in self.technicians for _s, end in self.busy[t] if moment < end < NEVER
            ]
            moment = next_work_moment(
                (min(ends) if ends else moment + timedelta(days=1)) + timedelta(minutes=5)
            )
            candidates = [t for t in self.technicians if self.available(t, moment)]
        return moment, candidates

    def engine_pick(self, candidates, moment):
        """The technician the team's assignment method gives the ticket to."""
        week = moment.isocalendar()[:2]
        return min(
            candidates,
            key=lambda t: assignment_key(
                self.method,
                self.load(t, moment),
                self.weekly[t, week],
                self.serial.get(t, 0),
                t.id,
            ),
        )

    def assign(self, tech, assigned, closed):
        self.busy[tech].append((assigned, closed))
        self.weekly[tech, assigned.isocalendar()[:2]] += 1
        self.serial[tech] = next(self.rotation)


def _plan_assignment(rng, desk, spec):
    """Who got the incident and when: the engine, or a technician who took it."""
    assigned = add_work_minutes(spec["created"], 2 + min(rng.lognormvariate(2.8, 0.9), 180))
    assigned, candidates = desk.candidates(assigned)
    # a technician took it from the queue (always so when the team assigns manually)
    took_it = rng.random() < 0.15 or desk.method == "manual"
    if took_it:
        tech = rng.choice(candidates)
    else:
        tech = desk.engine_pick(candidates, assigned)
    responded = assigned
    if not took_it and rng.random() < 0.5:
        responded = add_work_minutes(assigned, rng.randint(2, 45))
    return tech, assigned, responded


def plan_work(rng, catalogue, now_local, days, technicians, specs, method="balanced"):
    """Who took each incident, when, how it ended, and its state today."""
    desk = _Desk(rng, now_local, days, technicians, method)
    feedback = catalogue["feedback"]
    for spec in specs:
        tech, assigned, responded = _plan_assignment(rng, desk, spec)
        priority = rng.choices("0123", weights=spec["template"]["priority"])[0]
        closed, cancelled = _plan_outcome(rng, now_local, spec, responded, priority)
        desk.assign(tech, assigned, closed)
        rating = rng.choices((5, 4, 3, 2, 1), weights=(55, 25, 12, 5, 3))[0]
        spec.update(
            tech=tech,
            assigned=assigned,
            responded=responded,
            closed=closed,
            cancelled=cancelled,
            cancel_note=rng.choice(catalogue["cancel_notes"]),
            priority=priority,
            channel=rng.choices(("web", "phone", "email"), weights=(72, 18, 10))[0],
            rating=rating if rng.random() < 0.55 else 0,
            feedback=rng.choice(feedback[str(rating)]) if rng.random() < 0.4 else False,
            rated=add_work_minutes(closed, rng.randint(30, 2400)) if closed < NEVER else NEVER,
        )
    _plan_states(now_local, technicians, specs, method)
    return specs


def _plan_states(now_local, technicians, specs, method):
    """The state of each incident today. In a team that assigns manually the three
    newest still wait in its queue; where the engine assigns, a ticket waits only
    when every technician is full (nobody waits while someone has room)."""
    newest = [id(spec) for spec in specs if not spec["open"]][-3:] if method == "manual" else []
    for spec in specs:
        if spec["assigned"] >= now_local or id(spec) in newest:
            spec["state"] = "registered"
        elif spec["closed"] > now_local:
            spec["state"] = "in_progress"
        else:
            spec["state"] = "cancelled" if spec["cancelled"] else "resolved"
    # the planner's loads ended with the closings it planned; today's open work
    # may exceed a cap: the extra tickets go to a technician with room (where the
    # engine assigns), else they wait
    cap = {tech: tech.itims_max_active_tickets or DEFAULT_CAP for tech in technicians}
    load = {tech: 0 for tech in technicians}
    for spec in specs:
        if spec["state"] != "in_progress":
            continue
        tech = spec["tech"]
        if load[tech] >= cap[tech] and method != "manual":
            tech = min(technicians, key=lambda t: (load[t] / cap[t], t.id))
        if load[tech] >= cap[tech]:
            spec["state"] = "registered"
            continue
        spec["tech"] = tech
        load[tech] += 1


def _queue_moments(rng, now_local):
    """When the waiting incidents were reported: two working days ago in the
    morning, the last working day in the afternoon, and today's first hours (or
    the last working day's end, before the office opens)."""
    workdays, day = [], now_local.date()
    while len(workdays) < 3:
        day -= timedelta(days=1)
        if is_workday(day):
            workdays.append(day)
    today = now_local.date()
    recent = datetime.combine(workdays[0], time(16, 20))
    if is_workday(today) and now_local.time() >= time(9, 30):
        # two hours ago, within today's office hours
        recent = min(
            max(datetime.combine(today, DAY_START), now_local - timedelta(hours=2)),
            datetime.combine(today, time(16, 30)),
        )
        if LUNCH_START <= recent.time() < LUNCH_END:
            recent = datetime.combine(today, time(12, 40))
    return [
        datetime.combine(workdays[1], time(10, rng.randint(0, 50))),
        datetime.combine(workdays[0], time(15, rng.randint(0, 50))),
        recent.replace(second=0, microsecond=0),
    ]


def plan_queue(catalogue, now_local, seed, requesters, assets, categories):
    """Incidents waiting today in the queue of a team that assigns manually,
    oldest first: of the team's ``categories`` only, nobody has taken them."""
    rng = random.Random(seed)
    pool = _asset_pools(assets)
    own = {key: group for key, group in catalogue["categories"].items() if key in categories}
    own = own or dict(catalogue["categories"])
    # the planner's fallback for a missing asset is an e-mail incident
    own.setdefault("email", dict(catalogue["categories"]["email"], weight=0))
    catalogue = dict(catalogue, categories=own)
    specs = []
    for created in _queue_moments(rng, now_local):
        spec = _reported_incident(rng, catalogue, pool, requesters, created)
        spec.update(
            state="registered",
            tech=None,
            priority=rng.choices("0123", weights=spec["template"]["priority"])[0],
            channel="web",
            cancel_note=False,
            rating=0,
        )
        specs.append(spec)
    return specs


def plan_history(catalogue, now_local, days, seed, technicians, requesters, assets, method):
    """The whole history, one dict per incident, oldest first (see ``plan_work``)."""
    rng = random.Random(seed)
    specs = plan_incidents(rng, catalogue, now_local, days, requesters, assets)
    return plan_work(rng, catalogue, now_local, days, technicians, specs, method)
