from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.itims_telegram_message import NOTIFICATION_KINDS


class ItimsTelegramReport(models.Model):
    """Notification metrics per technician: sent, failed, opened, open rate and
    median minutes to open (Telegram has no read receipts: opened is a button
    tap or a visit of the tracked link)."""

    _name = "itims.telegram.report"
    _description = "Telegram Notification Metrics"
    _auto = False
    _order = "sent_count desc"

    user_id = fields.Many2one("res.users", string="Technician", readonly=True)
    sent_count = fields.Integer(string="Sent", readonly=True)
    failed_count = fields.Integer(string="Failed", readonly=True)
    opened_count = fields.Integer(string="Opened", readonly=True)
    open_rate = fields.Float(string="Open Rate (%)", readonly=True, aggregator="avg")
    median_minutes_to_open = fields.Float(
        string="Median Minutes to Open", readonly=True, aggregator="avg"
    )
    avg_minutes_to_open = fields.Float(
        string="Average Minutes to Open", readonly=True, aggregator="avg"
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(table)s AS (
                    SELECT m.user_id AS id,
                           m.user_id,
                           COUNT(*) FILTER (WHERE m.state = 'sent') AS sent_count,
                           COUNT(*) FILTER (WHERE m.state = 'failed') AS failed_count,
                           COUNT(*) FILTER (WHERE m.state = 'sent' AND m.opened_at IS NOT NULL)
                               AS opened_count,
                           COALESCE(100.0 * COUNT(*) FILTER (
                               WHERE m.state = 'sent' AND m.opened_at IS NOT NULL)
                               / NULLIF(COUNT(*) FILTER (WHERE m.state = 'sent'), 0), 0)
                               AS open_rate,
                           COALESCE(PERCENTILE_CONT(0.5) WITHIN GROUP (
                               ORDER BY EXTRACT(EPOCH FROM m.opened_at - m.sent_at) / 60)
                               FILTER (WHERE m.state = 'sent' AND m.opened_at IS NOT NULL), 0)
                               AS median_minutes_to_open,
                           COALESCE(AVG(EXTRACT(EPOCH FROM m.opened_at - m.sent_at) / 60)
                               FILTER (WHERE m.state = 'sent' AND m.opened_at IS NOT NULL), 0)
                               AS avg_minutes_to_open
                      FROM itims_telegram_message m
                     WHERE m.user_id IS NOT NULL AND m.kind IN %(kinds)s
                     GROUP BY m.user_id
                )
                """,
                table=SQL.identifier(self._table),
                kinds=NOTIFICATION_KINDS,
            )
        )
