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

    # ------------------------------------------------------------ satisfaction
    def _itims_rating_requested(self):
        """Whether the requester is asked to rate this ticket: resolved, and its
        rating not switched off (helpdesk_mgmt_rating's "Customer Rating")."""
        self.ensure_one()
        return self.itims_state == "resolved" and self.rating_status == "stage_change"

    def _itims_rating_given(self):
        """The requester's last rating of this ticket (1..5), else 0."""
        self.ensure_one()
        ratings = self.sudo().rating_ids.filtered(lambda r: r.consumed and 1 <= r.rating <= 5)
        last = ratings.sorted(lambda r: (r.write_date, r.id))[-1:]
        return int(last.rating) if last else 0

    def _itims_rating_links(self):
        """[(rate, url)] for rates 1 to 5 through Odoo's rating route, with the
        ticket's rating token (one per requester until used: the e-mail and the
        tracking page share it)."""
        self.ensure_one()
        # sudo: the e-mail's sender or a visitor of the tracking page holding its
        # token; the rating row is created as helpdesk_mgmt_rating's template does
        token = self.sudo()._rating_get_access_token()
        base = self.get_base_url()
        return [(rate, f"{base}/rate/{token}/{rate}") for rate in range(1, 6)]

    def _track_template(self, changes):
        """The closing e-mail of a resolved ticket carries the rating links (its
        layout, mail_notification_rating): one e-mail, never a second one."""
        res = super()._track_template(changes)
        ticket = self[0]
        if "stage_id" in res and ticket._itims_rating_requested():
            template, options = res["stage_id"]
            res["stage_id"] = (
                template,
                dict(options, email_layout_xmlid="helpdesk_itims_kpi.mail_notification_rating"),
            )
        return res
