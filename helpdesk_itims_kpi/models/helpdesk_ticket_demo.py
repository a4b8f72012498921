# Copyright 2026 ITIMS contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL


# Kept apart from helpdesk_ticket.py on purpose: demo-only code, one entry point.
# pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    @api.model
    def _itims_kpi_demo_sla_lines(self, team_id):
        """Give the team's demo history its SLA lines as they would have turned out:
        deadlines from the creation on the team's calendar (helpdesk_mgmt_sla's own
        computation), accomplished when the ticket was closed by its deadline, expired
        when later, in progress while open. Called from demo/helpdesk_sla_demo.xml,
        after helpdesk_itims wrote the history's past timestamps in SQL."""
        self.env.invalidate_all()
        tickets = self.search([("team_id", "=", team_id), ("ticket_sla_ids", "=", False)])
        tickets.set_sla()
        lines = tickets.ticket_sla_ids
        if not lines:
            return lines
        rows = []
        for line in lines:
            closed = line.ticket_id.closed_date
            if not closed:
                state = "in_progress"
            elif line.deadline and closed <= line.deadline:
                state = "accomplished"
            else:
                state = "expired"
            rows.append(SQL("(%s, %s)", line.id, state))
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE helpdesk_ticket_sla s SET state = v.state
                     FROM (VALUES %s) AS v(id, state) WHERE s.id = v.id""",
                SQL(", ").join(rows),
            )
        )
        lines.invalidate_recordset(["state"])
        return lines
