# Copyright 2026 ITIMS contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models
from odoo.tools.misc import format_datetime

_logger = logging.getLogger(__name__)

AT_RISK_RATIO = 0.8


class HelpdeskTicketSla(models.Model):
    _inherit = "helpdesk.ticket.sla"

    itims_at_risk_date = fields.Datetime(
        string="At Risk Since",
        copy=False,
        readonly=True,
        help="When the line was found to have consumed 80 % of its time and the team's "
        "manager was alerted (once per line).",
    )

    def _itims_consumed_ratio(self, now):
        """Share of the line's working hours consumed at ``now`` (helpdesk_mgmt_sla's
        own accounting: hours consumed before the last state change, plus the working
        hours of the team's calendar since then, holidays excluded)."""
        self.ensure_one()
        if not self.hours:
            return 1.0
        start = self.last_state_date or self.ticket_id.create_date
        calendar = self.ticket_id.team_id.resource_calendar_id
        if calendar:
            running = calendar.get_work_hours_count(start, now, compute_leaves=True)
        else:
            running = (now - start).total_seconds() / 3600.0
        return (self.consumed_time + running) / self.hours

    @api.model
    def _cron_itims_sla_watch(self):
        """Hourly: SLA lines at risk, then technicians' untouched tickets."""
        self._itims_flag_at_risk()
        self.env["helpdesk.ticket"]._itims_flag_untouched()

    @api.model
    def _itims_flag_at_risk(self, now=None):
        """Alert the team's manager of every in-progress line that consumed 80 % of
        its time: an activity on the ticket (and, through ``_itims_alert_at_risk``,
        the Telegram alert). Each line is flagged once; returns the flagged lines."""
        now = now or fields.Datetime.now()
        lines = self.search(
            [
                ("state", "=", "in_progress"),
                ("itims_at_risk_date", "=", False),
                ("ticket_id.active", "=", True),
                ("ticket_id.itims_state", "in", ("registered", "in_progress")),
            ]
        )
        at_risk = lines.filtered(lambda line: line._itims_consumed_ratio(now) >= AT_RISK_RATIO)
        if not at_risk:
            return at_risk
        at_risk.write({"itims_at_risk_date": now})
        activity_type = self.env.ref("helpdesk_itims_kpi.mail_activity_type_sla_at_risk")
        for line in at_risk:
            ticket = line.ticket_id
            manager = ticket.team_id.user_id
            if not manager:
                _logger.info(
                    "SLA line %s at risk: team %s has no manager", line.id, ticket.team_id.id
                )
                continue
            ticket.activity_schedule(
                activity_type_id=activity_type.id,
                user_id=manager.id,
                date_deadline=fields.Date.context_today(ticket, line.deadline or now),
                summary=self.env._(
                    "SLA %(sla)s at risk: due %(deadline)s",
                    sla=line.sla_id.name,
                    deadline=format_datetime(
                        self.env,
                        line.deadline,
                        tz=manager.tz or ticket.team_id.resource_calendar_id.tz,
                        dt_format="short",
                    ),
                ),
            )
        at_risk._itims_alert_at_risk()
        return at_risk

    def _itims_alert_at_risk(self):
        """The Telegram alert of lines just flagged at risk, one per line, through the
        telegram addon's outbox: the ticket's technician, else the managers. Called
        once per line (``_itims_flag_at_risk`` flags a line once)."""
        for line in self:
            line.ticket_id._itims_telegram_notify_sla_risk()
