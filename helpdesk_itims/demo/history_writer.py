"""Demo ticket history writer: the records of the history ``history`` plans.

Imported only when the demo data loads (see ``history``). Tickets, repairs and
ratings are created quietly (no assignment engine, chatter or mail); their
timestamps are then written in one parameterized UPDATE per table, since
``create_date`` is a magic column the ORM sets to now.
"""

from markupsafe import Markup

from odoo import fields
from odoo.tools import SQL

from .history import (
    lima_now,
    load_catalogue,
    plan_history,
    plan_queue,
    to_utc,
    work_minutes_between,
)

STAGES = {
    "registered": "helpdesk_mgmt.helpdesk_ticket_stage_new",
    "in_progress": "helpdesk_mgmt.helpdesk_ticket_stage_in_progress",
    "resolved": "helpdesk_mgmt.helpdesk_ticket_stage_done",
    "cancelled": "helpdesk_mgmt.helpdesk_ticket_stage_cancelled",
}
TICKET_TIME_COLUMNS = (
    "create_date",
    "write_date",
    "assigned_date",
    "first_response_date",
    "closed_date",
    "last_stage_update",
)
QUIET_CONTEXT = {
    "itims_skip_assignment": True,
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "mail_notify_force_send": False,
}


def generate_history(team, days, seed):
    """Create ``days`` days of incident history for ``team``; return its tickets.

    Requesters are the employees of the team's company with a national ID who are
    not on the team; assets are the company's tagged equipment. Resolved tickets
    on an asset leave a repair in its history; some resolved tickets are rated.
    """
    env = team.env
    technicians, requesters, assets = _history_people_and_assets(team)
    if not technicians or not requesters:
        return env["helpdesk.ticket"]
    catalogue = load_catalogue()
    now = lima_now(fields.Datetime.now())
    specs = plan_history(
        catalogue,
        now,
        days,
        seed,
        list(technicians),
        list(requesters),
        list(assets),
        team.itims_assignment_method or "balanced",
    )
    # past events: no assignment engine, chatter, followers nor mail
    tickets = (
        env["helpdesk.ticket"]
        .with_context(**QUIET_CONTEXT)
        .create([_ticket_vals(env, catalogue, team, spec) for spec in specs])
    )
    for ticket, spec in zip(tickets, specs, strict=True):
        spec["ticket"] = ticket
    repair_times = _create_repairs(env, team, specs)
    rating_times = _create_ratings(env, specs, now)
    # it all happened in the past: create_date is a magic column, set afterwards,
    # once the ORM has written everything it had pending
    env.flush_all()
    _write_timestamps(env.cr, "helpdesk_ticket", TICKET_TIME_COLUMNS, _ticket_time_rows(specs))
    _write_timestamps(env.cr, "maintenance_request", ("create_date", "write_date"), repair_times)
    _write_timestamps(env.cr, "rating_rating", ("create_date", "write_date"), rating_times)
    _continue_rotation(env, tickets)
    return tickets


def generate_queue(team, seed):
    """Create the tickets waiting today in the queue of ``team`` (a team that
    assigns manually); return them."""
    env = team.env
    technicians, requesters, assets = _history_people_and_assets(team)
    if not technicians or not requesters:
        return env["helpdesk.ticket"]
    catalogue = load_catalogue()
    codes = {
        xmlid.rsplit("helpdesk_ticket_category_", 1)[-1]
        for xmlid in team.category_ids.get_external_id().values()
    }
    specs = plan_queue(
        catalogue, lima_now(fields.Datetime.now()), seed, list(requesters), list(assets), codes
    )
    tickets = (
        env["helpdesk.ticket"]
        .with_context(**QUIET_CONTEXT)
        .create([_ticket_vals(env, catalogue, team, spec) for spec in specs])
    )
    for ticket, spec in zip(tickets, specs, strict=True):
        spec["ticket"] = ticket
    env.flush_all()
    _write_timestamps(env.cr, "helpdesk_ticket", TICKET_TIME_COLUMNS, _ticket_time_rows(specs))
    env.invalidate_all()
    return tickets


def _history_people_and_assets(team):
    """The team's technicians, the requesters and the assets of the history."""
    env = team.env
    company = team.company_id or env.company
    technicians = team.user_ids.sorted("id")
    requesters = env["hr.employee"].search(
        [
            ("company_id", "=", company.id),
            ("identification_id", "!=", False),
            ("department_id", "!=", False),
            "|",
            ("user_id", "=", False),
            ("user_id", "not in", (technicians | team.user_id).ids),
        ],
        order="id",
    )
    assets = env["maintenance.equipment"].search(
        [("company_id", "in", (company.id, False)), ("itims_asset_tag", "!=", False)],
        order="id",
    )
    return technicians, requesters, assets


def _short_office(catalogue, name):
    for prefix in catalogue["office_prefixes"]:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _ticket_vals(env, catalogue, team, spec):
    employee, asset, state = spec["employee"], spec["asset"], spec["state"]
    office = employee.department_id
    words = {
        "office": _short_office(catalogue, office.name),
        "floor": catalogue["floors"].get(office.itims_floor, office.itims_floor or "piso"),
        "tag": asset.itims_asset_tag if asset else "",
    }
    description = spec["template"]["description"].format(**words).replace("  ", " ")
    sequence = env["ir.sequence"].with_company(team.company_id)
    return {
        # numbered in the year the incident was reported
        "number": sequence.with_context(ir_sequence_date=spec["created"].date()).next_by_code(
            "helpdesk.ticket.itims"
        ),
        "name": spec["template"]["name"].format(**words),
        "description": Markup("<p>%s</p>") % description,
        "team_id": team.id,
        "company_id": (team.company_id or env.company).id,
        "category_id": env.ref(f"helpdesk_itims.helpdesk_ticket_category_{spec['category']}").id,
        "channel_id": env.ref(f"helpdesk_mgmt.helpdesk_ticket_channel_{spec['channel']}").id,
        "priority": spec["priority"],
        "stage_id": env.ref(STAGES[state]).id,
        "requester_id": employee.id,
        "partner_id": employee.work_contact_id.id,
        "partner_name": employee.name,
        "partner_email": employee.work_email,
        "requester_phone": employee.work_phone,
        "equipment_id": asset.id if asset else False,
        "user_id": spec["tech"].id if state != "registered" else False,
        "resolution_notes": {
            "resolved": spec["note"]["text"],
            "cancelled": spec["cancel_note"],
        }.get(state, False),
    }


def _ticket_times(spec):
    """create, write, assigned, first response, closed, last stage update (UTC)."""
    created = to_utc(spec["created"])
    if spec["state"] == "registered":
        return created, created, None, None, None, created
    assigned, responded = to_utc(spec["assigned"]), to_utc(spec["responded"])
    if spec["state"] == "in_progress":
        return created, responded, assigned, responded, None, assigned
    closed = to_utc(spec["closed"])
    return created, closed, assigned, responded, closed, closed


def _ticket_time_rows(specs):
    return [(spec["ticket"].id, *_ticket_times(spec)) for spec in specs]


def _left_repair(spec):
    """A resolved (or still open) incident whose fix was a repair of the asset."""
    return (
        bool(spec["asset"])
        and spec["note"]["repair"]
        and spec["state"] in ("resolved", "in_progress")
    )


def _repair_vals(env, spec, maintenance_team):
    done = spec["state"] == "resolved"
    minutes = work_minutes_between(spec["responded"], spec["closed"]) if done else 0.0
    return {
        "name": spec["ticket"].name,
        "description": Markup("<p>%s</p>") % spec["note"]["text"] if done else False,
        "company_id": spec["ticket"].company_id.id,
        "equipment_id": spec["asset"].id,
        "employee_id": spec["employee"].id,
        "user_id": spec["tech"].id,
        "maintenance_type": "corrective",
        "maintenance_team_id": (spec["asset"].maintenance_team_id or maintenance_team).id,
        "stage_id": env.ref("maintenance.stage_3" if done else "maintenance.stage_1").id,
        "request_date": spec["responded"].date(),
        "close_date": spec["closed"].date() if done else False,
        "duration": round(minutes / 60, 1),
        "helpdesk_ticket_ids": [(4, spec["ticket"].id)],
    }


def _create_repairs(env, team, specs):
    """Create the corrective repairs the incidents left on their assets; return
    their (id, create date, write date) rows."""
    company = team.company_id or env.company
    maintenance_team = env["maintenance.team"].search(
        [("company_id", "in", (company.id, False))], limit=1
    )
    repaired = [spec for spec in specs if maintenance_team and _left_repair(spec)]
    requests = (
        env["maintenance.request"]
        .with_context(**QUIET_CONTEXT)
        .create([_repair_vals(env, spec, maintenance_team) for spec in repaired])
    )
    return [
        (request.id, to_utc(spec["responded"]), _ticket_times(spec)[1])
        for request, spec in zip(requests, repaired, strict=True)
    ]


def _rating_vals(env, spec):
    return {
        "res_model_id": env["ir.model"]._get_id("helpdesk.ticket"),
        "res_id": spec["ticket"].id,
        "partner_id": spec["ticket"].partner_id.id,
        "rated_partner_id": spec["tech"].partner_id.id,
        "rating": spec["rating"],
        "feedback": spec["feedback"],
        "consumed": True,
    }


def _create_ratings(env, specs, now):
    """Create the requesters' ratings of resolved tickets, given after the closing;
    return their (id, create date, write date) rows."""
    rated = [
        spec
        for spec in specs
        if spec["state"] == "resolved" and spec["rating"] and spec["rated"] < now
    ]
    ratings = env["rating.rating"].create([_rating_vals(env, spec) for spec in rated])
    return [
        (rating.id, to_utc(spec["rated"]), to_utc(spec["rated"]))
        for rating, spec in zip(ratings, rated, strict=True)
    ]


def _write_timestamps(cr, table, columns, rows):
    """Set timestamp ``columns`` of ``table`` from ``rows`` (id, *values) at once."""
    if not rows:
        return
    values = SQL(", ").join(
        SQL(
            "(%s)", SQL(", ").join([SQL("%s", row[0])] + [SQL("%s::timestamp", v) for v in row[1:]])
        )
        for row in rows
    )
    cr.execute(
        SQL(
            "UPDATE %s AS t SET %s FROM (VALUES %s) AS v(%s) WHERE t.id = v.id",
            SQL.identifier(table),
            SQL(", ").join(SQL("%s = v.%s", SQL.identifier(c), SQL.identifier(c)) for c in columns),
            values,
            SQL(", ").join(SQL.identifier(c) for c in ("id", *columns)),
        )
    )


def _continue_rotation(env, tickets):
    """The engine's rotation goes on from this history: each technician's last
    assignment, and the serial that orders them (oldest first)."""
    if not tickets:
        return
    env.cr.execute(
        SQL(
            """
            WITH last AS (
                SELECT user_id, MAX(assigned_date) AS assigned
                  FROM helpdesk_ticket
                 WHERE id IN %s AND user_id IS NOT NULL
                 GROUP BY user_id
            ), ranked AS (
                SELECT user_id, assigned,
                       (SELECT COALESCE(MAX(itims_assignment_serial), 0) FROM res_users)
                       + ROW_NUMBER() OVER (ORDER BY assigned, user_id) AS serial
                  FROM last
            )
            UPDATE res_users u
               SET itims_last_assignment_date = ranked.assigned,
                   itims_assignment_serial = ranked.serial
              FROM ranked
             WHERE u.id = ranked.user_id
            """,
            tuple(tickets.ids),
        )
    )
    env.invalidate_all()
