# Copyright 2026 ITIMS contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models, tools
from odoo.tools import SQL

from odoo.addons.helpdesk_itims_telegram.models.itims_telegram_message import NOTIFICATION_KINDS


def _kinds(model):
    return model.env["itims.telegram.message"]._fields["kind"].selection


def _states(model):
    return model.env["itims.telegram.message"]._fields["state"].selection


class ItimsNotificationAnalysis(models.Model):
    """One row per Telegram notification (the telegram addon's notification kinds;
    edits and replies are not notifications): a SQL view read by the pivot and
    graph views. Its sent and opened counts are those of itims.kpi.summary()'s
    notification_open_rate over the tickets created in the same period."""

    _name = "itims.notification.analysis"
    _description = "Notification Analysis"
    _auto = False
    _rec_name = "kind"
    _order = "sent_at desc, id desc"

    message_id = fields.Many2one(comodel_name="itims.telegram.message", readonly=True)
    ticket_id = fields.Many2one(comodel_name="helpdesk.ticket", readonly=True)
    ticket_create_date = fields.Datetime(string="Ticket Created on", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    office_id = fields.Many2one(comodel_name="hr.department", readonly=True)
    team_id = fields.Many2one(comodel_name="helpdesk.ticket.team", readonly=True)
    user_id = fields.Many2one(comodel_name="res.users", string="Technician", readonly=True)
    kind = fields.Selection(selection=_kinds, readonly=True)
    state = fields.Selection(selection=_states, readonly=True)
    sent_at = fields.Datetime(string="Sent on", readonly=True)
    opened_at = fields.Datetime(string="Opened on", readonly=True)
    is_opened = fields.Boolean(string="Opened", readonly=True)
    notification_count = fields.Integer(string="Notifications", readonly=True)
    sent_count = fields.Integer(string="Sent", readonly=True)
    opened_count = fields.Integer(string="Opened (count)", readonly=True)
    open_rate = fields.Float(
        string="Open Rate (%)",
        aggregator="avg",
        readonly=True,
        help="Opened / sent notifications: a button tap or a visit of the tracked link "
        "(Telegram has no read receipts).",
    )
    minutes_to_open = fields.Float(
        string="Minutes to Open", aggregator="avg", readonly=True, digits=(16, 2)
    )

    def _query(self):
        return SQL(
            """
            SELECT m.id AS id,
                   m.id AS message_id,
                   m.ticket_id AS ticket_id,
                   t.create_date AS ticket_create_date,
                   t.company_id AS company_id,
                   t.office_id AS office_id,
                   COALESCE(m.team_id, t.team_id) AS team_id,
                   m.user_id AS user_id,
                   m.kind AS kind,
                   m.state AS state,
                   m.sent_at AS sent_at,
                   m.opened_at AS opened_at,
                   (m.sent_at IS NOT NULL AND m.opened_at IS NOT NULL) AS is_opened,
                   1 AS notification_count,
                   CASE WHEN m.sent_at IS NOT NULL THEN 1 ELSE 0 END AS sent_count,
                   CASE WHEN m.sent_at IS NOT NULL AND m.opened_at IS NOT NULL
                        THEN 1 ELSE 0 END AS opened_count,
                   CASE WHEN m.sent_at IS NULL THEN NULL
                        WHEN m.opened_at IS NOT NULL THEN 100.0 ELSE 0.0 END AS open_rate,
                   CASE WHEN m.sent_at IS NOT NULL AND m.opened_at IS NOT NULL
                        THEN GREATEST(%(minutes)s, 0) END AS minutes_to_open
              FROM %(messages)s m
              LEFT JOIN helpdesk_ticket t ON t.id = m.ticket_id
             WHERE m.kind IN %(kinds)s AND (t.id IS NULL OR t.active)
            """,
            minutes=self.env["itims.kpi"]._kpi_minutes_sql(SQL("m.opened_at"), SQL("m.sent_at")),
            messages=SQL.identifier(self.env["itims.telegram.message"]._table),
            kinds=NOTIFICATION_KINDS,
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
