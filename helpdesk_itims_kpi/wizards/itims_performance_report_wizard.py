# Copyright 2026 ITIMS contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class ItimsPerformanceReportWizard(models.TransientModel):
    _name = "itims.performance.report.wizard"
    _description = "Technician Performance Report"

    date_from = fields.Date(
        required=True, default=lambda self: fields.Date.context_today(self).replace(day=1)
    )
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    team_id = fields.Many2one(comodel_name="helpdesk.ticket.team")
    user_ids = fields.Many2many(
        comodel_name="res.users",
        string="Technicians",
        domain=[("share", "=", False)],
        help="Leave empty for every technician of the team (or of the period).",
    )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise UserError(self.env._("The period ends before it starts."))

    def _itims_performance_lines(self):
        self.ensure_one()
        return self.env["itims.kpi"].technician_performance(
            self.date_from,
            self.date_to,
            user_ids=self.user_ids.ids or None,
            team_id=self.team_id.id or None,
        )

    def action_print(self):
        self.ensure_one()
        return self.env.ref("helpdesk_itims_kpi.technician_performance_report").report_action(self)
