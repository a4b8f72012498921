# Copyright 2026 ITIMS contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models, tools
from odoo.tools import SQL


class ItimsTechnicianWorkload(models.Model):
    """One row per technician, team and ISO week (weeks start on Monday, UTC) with
    the tickets assigned to the technician that week and those they resolved."""

    _name = "itims.technician.workload"
    _description = "Weekly Technician Workload"
    _auto = False
    _order = "week_start desc, user_id"

    week_start = fields.Date(string="Week", readonly=True)
    user_id = fields.Many2one(comodel_name="res.users", string="Technician", readonly=True)
    team_id = fields.Many2one(comodel_name="helpdesk.ticket.team", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    assigned_count = fields.Integer(string="Assigned", readonly=True)
    resolved_count = fields.Integer(string="Resolved", readonly=True)
    resolution_minutes = fields.Float(
        string="Resolution Time (min)", aggregator="avg", readonly=True
    )

    def _query(self):
        return SQL(
            """
            WITH events AS (
                SELECT date_trunc('week', t.assigned_date)::date AS week_start,
                       t.user_id, t.team_id, t.company_id,
                       1 AS assigned, 0 AS resolved, NULL::float AS minutes
                  FROM helpdesk_ticket t
                 WHERE t.active AND t.user_id IS NOT NULL AND t.assigned_date IS NOT NULL
                 UNION ALL
                SELECT date_trunc('week', t.closed_date)::date,
                       t.user_id, t.team_id, t.company_id,
                       0, 1, %s
                  FROM helpdesk_ticket t
                 WHERE t.active AND t.user_id IS NOT NULL AND t.closed_date IS NOT NULL
                   AND t.itims_state = 'resolved'
            )
            SELECT ROW_NUMBER() OVER (ORDER BY week_start, user_id, team_id) AS id,
                   week_start, user_id, team_id, company_id,
                   SUM(assigned) AS assigned_count,
                   SUM(resolved) AS resolved_count,
                   AVG(minutes) AS resolution_minutes
              FROM events
             GROUP BY week_start, user_id, team_id, company_id
            """,
            self.env["itims.kpi"]._kpi_minutes_sql(SQL("t.closed_date"), SQL("t.create_date")),
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
