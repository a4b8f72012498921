from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

from .itims_assignment import assignment_key

# A team write touching these may let queued tickets be dispatched.
ITIMS_TEAM_DISPATCH_FIELDS = {"itims_assignment_method", "user_ids", "active", "company_id"}


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    itims_assignment_method = fields.Selection(
        selection=[
            ("manual", "Manual (FIFO queue)"),
            ("round_robin", "Round Robin"),
            ("least_loaded", "Least Loaded"),
            ("balanced", "Balanced (load + weekly count)"),
        ],
        string="Assignment Method",
        default="balanced",
        required=True,
        help="How new tickets of this team are given to its technicians on duty and "
        "below their cap. Manual: they wait in the FIFO queue until taken. Round "
        "Robin: the technician whose last assignment is the oldest. Least Loaded: "
        "the fewest active tickets. Balanced: the lowest sum of active tickets and "
        "tickets assigned this week (fair both now and over the week). Ties go to "
        "the oldest last assignment.",
    )
    itims_queue_count = fields.Integer(
        string="Waiting Tickets",
        compute="_compute_itims_queue_count",
        help="Registered tickets of this team no technician has yet.",
    )

    def _compute_itims_queue_count(self):
        groups = self.env["helpdesk.ticket"]._read_group(
            [
                ("team_id", "in", self.ids),
                ("user_id", "=", False),
                ("itims_state", "=", "registered"),
            ],
            ["team_id"],
            ["__count"],
        )
        counts = {team.id: count for team, count in groups}
        for team in self:
            team.itims_queue_count = counts.get(team.id, 0)

    def write(self, vals):
        res = super().write(vals)
        if ITIMS_TEAM_DISPATCH_FIELDS & vals.keys():
            self._itims_dispatch()
        return res

    # ------------------------------------------------------------------
    # Assignment engine
    # ------------------------------------------------------------------

    def _itims_stage(self, state):
        """First stage of this team (of the team-less tickets when empty) whose
        ITIMS state is ``state``."""
        stage = self._get_applicable_stages().filtered(lambda s: s.itims_state == state)[:1]
        if not stage:
            raise UserError(
                self.env._(
                    "No stage with the ITIMS state %(state)s applies to team %(team)s.",
                    state=state,
                    team=self.display_name or "-",
                )
            )
        return stage

    @api.model
    def _itims_week_start(self, now=None):
        """Start of the current ISO week (Monday 00:00 in the company's time zone),
        as a naive UTC datetime like the ORM's."""
        now = now or fields.Datetime.now()
        tz = pytz.timezone(self.env.company.partner_id.tz or "UTC")
        local = pytz.utc.localize(now).astimezone(tz)
        monday = local.date() - timedelta(days=local.weekday())
        start = tz.localize(datetime.combine(monday, time.min))
        return start.astimezone(pytz.utc).replace(tzinfo=None)

    def _itims_technicians(self):
        """Members of these teams who may receive tickets."""
        group = self.env.ref("helpdesk_itims.group_itims_technician")
        return self.user_ids.filtered(lambda u: u.active and not u.share and group in u.groups_id)

    def _itims_pick_technician(self, candidates, loads, week_counts):
        """The candidate this team's method gives the next ticket to."""
        self.ensure_one()
        method = self.itims_assignment_method
        return min(
            candidates,
            key=lambda u: assignment_key(
                method, loads[u.id], week_counts[u.id], u.itims_assignment_serial, u.id
            ),
        )

    def _itims_dispatch(self, users=None):
        """Give the waiting tickets of these teams, oldest first, to their available
        technicians by each team's method; return the tickets assigned.

        Called after every event that adds a ticket to a queue or may free a
        technician (creation, resolution, cancellation, reassignment, back on duty,
        cap raised, team changes). ``users`` are technicians whose load the caller
        changed: they are locked with the teams' members (see
        ``res.users._itims_lock_for_assignment``). A technician is available when
        active, on duty, below their cap and in the ticket's company; nobody
        available: the ticket waits. Context ``itims_skip_assignment`` disables it.
        """
        Ticket = self.env["helpdesk.ticket"]
        if self.env.context.get("itims_skip_assignment"):
            return Ticket
        # sudo: the engine works for the whole desk, whoever triggered it (a public
        # intake, a technician who cannot see the other teams' queues)
        teams = (
            self.sudo()
            .exists()
            .filtered(lambda t: t.active and t.itims_assignment_method != "manual")
        )
        users = (users or self.env["res.users"]).sudo()
        (teams.user_ids | users)._itims_lock_for_assignment()
        technicians = teams._itims_technicians()
        if not technicians:
            return Ticket
        queue = Ticket.sudo().search(
            [
                ("team_id", "in", teams.ids),
                ("user_id", "=", False),
                ("itims_state", "=", "registered"),
            ],
            order="create_date, id",
        )
        if not queue:
            return Ticket
        loads = dict.fromkeys(technicians.ids, 0) | technicians._itims_active_ticket_counts()
        week_counts = dict.fromkeys(technicians.ids, 0) | technicians._itims_week_ticket_counts()

        def available(user, ticket):
            return (
                user.itims_on_duty
                and loads[user.id] < user.itims_max_active_tickets
                and ticket.company_id in user.company_ids
            )

        assigned = Ticket.sudo()
        for ticket in queue:
            if not any(
                u.itims_on_duty and loads[u.id] < u.itims_max_active_tickets for u in technicians
            ):
                break
            team = ticket.team_id
            candidates = [
                u for u in team._itims_technicians() if u in technicians and available(u, ticket)
            ]
            if not candidates:
                continue
            user = team._itims_pick_technician(candidates, loads, week_counts)
            ticket._itims_assign_automatically(user)
            loads[user.id] += 1
            week_counts[user.id] += 1
            assigned |= ticket
        # recompute what the assignments changed (team, properties...) as superuser
        # now: a later flush would run it as the caller, e.g. the public visitor
        assigned.flush_recordset()
        return assigned
