# Copyright 2026 ITIMS contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime

from odoo import api, fields, models
from odoo.tools import SQL

UNTOUCHED_HOURS_PARAM = "helpdesk_itims_kpi.untouched_hours"
UNTOUCHED_HOURS_DEFAULT = 24


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    @api.model
    def _itims_untouched_hours(self):
        value = self.env["ir.config_parameter"].sudo().get_param(UNTOUCHED_HOURS_PARAM)
        try:
            hours = int(value) if value else UNTOUCHED_HOURS_DEFAULT
        except ValueError:
            hours = UNTOUCHED_HOURS_DEFAULT
        return max(hours, 1)

    @api.model
    def _itims_untouched_tickets(self, now=None):
        """Active (In Progress) tickets whose technician did nothing on them for the
        configured hours: no stage change, no message, since they were assigned."""
        now = now or fields.Datetime.now()
        limit = now - datetime.timedelta(hours=self._itims_untouched_hours())
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT t.id
                  FROM helpdesk_ticket t
                 WHERE t.active AND t.itims_state = 'in_progress' AND t.user_id IS NOT NULL
                   AND GREATEST(t.assigned_date, t.last_stage_update, t.first_response_date,
                                (SELECT MAX(m.date) FROM mail_message m
                                  WHERE m.model = 'helpdesk.ticket' AND m.res_id = t.id
                                    AND m.message_type = 'comment')) < %s
                """,
                limit,
            )
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())

    @api.model
    def _itims_flag_untouched(self, now=None):
        """An activity for the team's manager (else the technician) on every active
        ticket untouched for too long, unless one is already open; returns them."""
        activity_type = self.env.ref("helpdesk_itims_kpi.mail_activity_type_untouched")
        tickets = self._itims_untouched_tickets(now)
        flagged = tickets.filtered(lambda t: activity_type not in t.activity_ids.activity_type_id)
        hours = self._itims_untouched_hours()
        for ticket in flagged:
            ticket.activity_schedule(
                activity_type_id=activity_type.id,
                user_id=(ticket.team_id.user_id or ticket.user_id).id,
                summary=self.env._(
                    "Untouched for %(hours)s hours by %(technician)s",
                    hours=hours,
                    technician=ticket.user_id.name,
                ),
            )
        return flagged
