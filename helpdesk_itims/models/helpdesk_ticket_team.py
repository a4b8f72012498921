from odoo import fields, models
from odoo.exceptions import UserError

from .itims_assignment import queue_domain

# A team write touching these may let queued tickets be dispatched (assignment
# engine, models/itims_assignment.py).
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
        "the fewest active tickets. Balanced: the lowest count of active tickets "
        "plus twice the tickets assigned this week (fair both now and over the "
        "week), then the fewest active. Ties go to the oldest last assignment.",
    )
    itims_queue_count = fields.Integer(
        string="Waiting Tickets",
        compute="_compute_itims_queue_count",
        help="Registered tickets of this team no technician has yet.",
    )

    def _compute_itims_queue_count(self):
        groups = self.env["helpdesk.ticket"]._read_group(
            queue_domain(self),
            ["team_id"],
            ["__count"],
        )
        counts = {team.id: count for team, count in groups}
        for team in self:
            team.itims_queue_count = counts.get(team.id, 0)

    def write(self, vals):
        res = super().write(vals)
        if ITIMS_TEAM_DISPATCH_FIELDS & vals.keys():
            self.env["itims.assignment"]._technicians_got_room(self.user_ids, teams=self)
        return res

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
