"""The Telegram outbox: every message to Telegram is a row here first.

Enqueuing (``_itims_enqueue``) only inserts rows and triggers the sender cron:
the user's transaction never talks to Telegram. The sender (``_cron_send``)
claims one due row at a time with ``FOR NO KEY UPDATE SKIP LOCKED`` (as
ir.cron claims its jobs), so several workers and servers drain the outbox
together without sending a row twice, sends it and commits its new state.

At-least-once: the row lock is held while the row is sent, in the transaction
that marks it sent. A worker killed before Telegram answered leaves the row
queued (its transaction rolls back, the lock goes with the connection): another
run sends it, nothing is lost. The one window where a message can go out twice
is between Telegram accepting it and the COMMIT of ``sent`` that follows at once
(one UPDATE): a worker killed exactly there sends it again on the next run.

Throttling: a chat gets at most one message a second (a row is not claimed while
its chat had a message sent less than a second ago) and all workers together
about 25 a second (a worker waits while 25 rows were sent in the last second).
A 429 postpones every queued row of that chat by its ``retry_after``; network
errors, timeouts and 5xx are retried with exponential backoff and jitter; a 403
(the user blocked the bot) fails the chat's rows and marks the user blocked.
"""

import json
import logging
import random
import re
import time
from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..services.bot_api import DEFAULT_BASE_URL, DEFAULT_TIMEOUT, BotApi, TelegramError
from .helpdesk_ticket import TEMPLATES

_logger = logging.getLogger(__name__)

PARAM = "helpdesk_itims_telegram.%s"
WHITESPACE = re.compile(r"\s+")
LINE_BREAK = re.compile(r"\s*<br\s*/?>\s*")
TAG_OPEN_SPACE = re.compile(r"(<(?:b|i|a|u|s|code)(?:\s[^>]*)?>)\s+")
TAG_CLOSE_SPACE = re.compile(r"\s+(</(?:b|i|a|u|s|code)>)")
PER_CHAT_INTERVAL = timedelta(seconds=1)
GLOBAL_RATE = 25  # messages a second, every worker together
MAX_ATTEMPTS = 10
BACKOFF_BASE = 15  # seconds, doubled at each attempt
BACKOFF_MAX = 3600
SEND_BUDGET = 50  # seconds a sender run may last (the cron runs every minute)
# notifications (what the open rate counts) as opposed to edits and replies
NOTIFICATION_KINDS = ("new_ticket", "assigned", "reassigned", "reopened", "sla_risk", "action")


def precise_now():
    """Now, with its microseconds (``fields.Datetime.now()`` drops them): the rate
    limits compare ``sent_at`` to the sub-second, and the field keeps what it is given.
    Naive UTC, as the ORM's datetimes (the server runs in UTC)."""
    return datetime.now()


class ItimsTelegramMessage(models.Model):
    _name = "itims.telegram.message"
    _description = "Telegram Notification"
    _order = "id desc"
    _rec_name = "kind"

    chat_id = fields.Char(required=True, index=True, readonly=True)
    user_id = fields.Many2one("res.users", index="btree_not_null", readonly=True)
    ticket_id = fields.Many2one(
        "helpdesk.ticket", index="btree_not_null", ondelete="cascade", readonly=True
    )
    team_id = fields.Many2one(related="ticket_id.team_id", store=True)
    kind = fields.Selection(
        selection=[
            ("new_ticket", "New ticket"),
            ("assigned", "Assigned"),
            ("reassigned", "Reassigned"),
            ("reopened", "Reopened"),
            ("sla_risk", "SLA at risk"),
            ("action", "Automation"),
            ("taken", "Taken (edit)"),
            ("reply", "Reply"),
        ],
        required=True,
        readonly=True,
    )
    method = fields.Char(default="sendMessage", required=True, readonly=True)
    text = fields.Text(
        readonly=True,
        help="A ticket notification's text is rendered when it is sent, in its recipient's "
        "language.",
    )
    keyboard = fields.Text(readonly=True, help="Technical: inline keyboard (JSON).")
    action = fields.Selection(
        selection=[("assign", "Assign to me"), ("release", "Back to the queue")],
        readonly=True,
        help="Technical: the button a ticket notification offers besides its link.",
    )
    render_values = fields.Text(
        readonly=True,
        help="Technical: records the text shows besides the ticket (JSON of [model, id]).",
    )
    target_message_id = fields.Integer(
        readonly=True, help="Technical: the Telegram message an edit changes."
    )
    state = fields.Selection(
        selection=[
            ("queued", "Queued"),
            ("sending", "Sending"),
            ("sent", "Sent"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ],
        default="queued",
        required=True,
        index=True,
        readonly=True,
    )
    priority = fields.Integer(default=10, readonly=True)
    attempts = fields.Integer(readonly=True)
    next_attempt = fields.Datetime(default=fields.Datetime.now, readonly=True)
    last_error = fields.Char(readonly=True)
    telegram_message_id = fields.Integer(readonly=True)
    sent_at = fields.Datetime(readonly=True)
    opened_at = fields.Datetime(readonly=True)
    minutes_to_open = fields.Float(compute="_compute_minutes_to_open", store=True, aggregator="avg")
    link_token = fields.Char(
        readonly=True, copy=False, index="btree_not_null", groups="base.group_system"
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("link_token_unique", "UNIQUE(link_token)", "A tracked link is used once."),
    ]

    def init(self):
        res = super().init()
        # the sender's claim: due queued rows in order, and a chat's last sending
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS itims_telegram_message_queue_index "
                "ON itims_telegram_message (priority DESC, id) WHERE state = 'queued'"
            )
        )
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS itims_telegram_message_chat_sent_index "
                "ON itims_telegram_message (chat_id, sent_at) WHERE sent_at IS NOT NULL"
            )
        )
        return res

    @api.depends("sent_at", "opened_at")
    def _compute_minutes_to_open(self):
        for message in self:
            if message.sent_at and message.opened_at:
                delta = message.opened_at - message.sent_at
                message.minutes_to_open = max(delta.total_seconds(), 0) / 60
            else:
                message.minutes_to_open = 0

    # ------------------------------------------------------------------
    # Settings and rendering
    # ------------------------------------------------------------------

    @api.model
    def _itims_param(self, name, default=None):
        # sudo: the bot settings are read by whoever queues or sends a message
        return self.env["ir.config_parameter"].sudo().get_param(PARAM % name, default)

    @api.model
    def _itims_enabled(self):
        return bool(self._itims_param("bot_token"))

    @api.model
    def _itims_bot_api(self):
        token = self._itims_param("bot_token")
        if not token:
            return None
        timeout = float(self._itims_param("timeout", DEFAULT_TIMEOUT))
        base_url = self._itims_param("api_base_url") or DEFAULT_BASE_URL
        return BotApi(token, base_url, timeout=timeout)

    @api.model
    def _itims_render(self, template, lang=None, **values):
        """Render QWeb ``template`` (editable by the administrator) as the text of a
        Telegram message in HTML parse mode: whitespace runs are one space, as in
        HTML, and ``<br/>`` ends a line."""
        lang = lang or self.env.company.partner_id.lang or "es_ES"
        html = str(self.env["ir.qweb"].with_context(lang=lang)._render(template, values))
        text = WHITESPACE.sub(" ", html)
        # no space just inside <b>, <i>, <a>: the layout of the template is not text
        text = TAG_OPEN_SPACE.sub(r"\1", TAG_CLOSE_SPACE.sub(r"\1", text))
        return LINE_BREAK.sub("\n", text).strip()

    @api.model
    def _itims_link_url(self, token):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        return f"{base.rstrip('/')}/itims/t/{token}"

    # ------------------------------------------------------------------
    # Enqueue
    # ------------------------------------------------------------------

    @api.model
    def _itims_enqueue(self, vals_list):
        """Queue these messages and ask the sender cron to run after the commit.

        A ticket notification's tracked link (``/itims/t/<token>``, the "View ticket"
        button) is put in its buttons by the sender (``_itims_prepare``), from the
        ``link_token`` it was queued with."""
        if not vals_list:
            return self.browse()
        for vals in vals_list:
            keyboard = vals.get("keyboard")
            if isinstance(keyboard, dict | list):
                keyboard = json.dumps(keyboard)
            vals["keyboard"] = keyboard or False
        # sudo: the outbox is written on behalf of whoever caused the notification
        messages = self.sudo().create(vals_list)
        self.env.ref("helpdesk_itims_telegram.ir_cron_itims_telegram_send").sudo()._trigger()
        return messages

    # ------------------------------------------------------------------
    # Sender
    # ------------------------------------------------------------------

    @api.model
    def _cron_send(self):
        """Scheduled action: drain the outbox for up to SEND_BUDGET seconds. Commits
        after every message (a cron may): a sent row must be recorded as sent at
        once, or a crash would send it again."""
        remaining = self._itims_send_pending(budget=SEND_BUDGET, commit=self.env.cr.commit)
        if remaining:
            # sudo: the cron reschedules itself
            self.env.ref("helpdesk_itims_telegram.ir_cron_itims_telegram_send").sudo()._trigger(
                remaining
            )

    @api.model
    def _itims_send_pending(self, budget=SEND_BUDGET, commit=None, limit=None):
        """Send due rows one at a time until none is due, ``limit`` rows were
        handled or ``budget`` seconds passed. Returns when the next queued row will
        be due (None when the outbox is empty)."""
        api = self._itims_bot_api()
        if not api:
            return None
        deadline = time.monotonic() + budget
        handled = 0
        while time.monotonic() < deadline and (limit is None or handled < limit):
            self._itims_wait_global_rate(deadline)
            message = self._itims_claim()
            if not message:
                break
            message._itims_send(api)
            message.flush_recordset()
            handled += 1
            if commit:
                commit()
        return self._itims_next_due()

    @api.model
    def _itims_wait_global_rate(self, deadline):
        """Wait while every worker together sent GLOBAL_RATE messages in the last
        second (bounded by the run's deadline)."""
        while time.monotonic() < deadline:
            since = precise_now() - timedelta(seconds=1)
            self.env.cr.execute(
                SQL(
                    "SELECT COUNT(*) FROM itims_telegram_message WHERE sent_at > %s",
                    since,
                )
            )
            if self.env.cr.fetchone()[0] < GLOBAL_RATE:
                return
            time.sleep(0.05)

    @api.model
    def _itims_claim(self):
        """Lock the next due queued row no other worker holds, or return none."""
        self.env.flush_all()  # the claim reads the table in SQL
        now = precise_now()
        self.env.cr.execute(
            SQL(
                """
                SELECT m.id FROM itims_telegram_message m
                 WHERE m.state = 'queued' AND m.active AND m.next_attempt <= %(now)s
                   AND NOT EXISTS (
                       SELECT 1 FROM itims_telegram_message s
                        WHERE s.chat_id = m.chat_id AND s.sent_at > %(recent)s)
                 ORDER BY m.priority DESC, m.id
                 LIMIT 1
                   FOR NO KEY UPDATE OF m SKIP LOCKED
                """,
                now=now,
                recent=now - PER_CHAT_INTERVAL,
            )
        )
        row = self.env.cr.fetchone()
        return self.sudo().browse(row[0]) if row else self.browse()

    @api.model
    def _itims_next_due(self):
        self.env.cr.execute(
            SQL(
                "SELECT MIN(next_attempt) FROM itims_telegram_message "
                "WHERE state = 'queued' AND active"
            )
        )
        due = self.env.cr.fetchone()[0]
        if due is None:
            return None
        # a chat throttled by its own last message is due a second later
        return max(due, fields.Datetime.now() + PER_CHAT_INTERVAL)

    def _itims_payload(self):
        self.ensure_one()
        payload = {"chat_id": self.chat_id}
        if self.method in ("sendMessage", "editMessageText"):
            payload.update(
                text=self.text,
                parse_mode="HTML",
                link_preview_options={"is_disabled": True},
            )
        if self.method == "editMessageText":
            payload["message_id"] = self.target_message_id
        if self.keyboard:
            payload["reply_markup"] = json.loads(self.keyboard)
        return payload

    def _itims_prepare(self):
        """Render the text and buttons of a ticket notification queued without them
        (``helpdesk.ticket._itims_telegram_message``), as its recipient reads them."""
        self.ensure_one()
        if self.text or not self.ticket_id or self.kind not in TEMPLATES:
            return
        values = {
            name: self.env[model].sudo().browse(record_id).exists()
            for name, (model, record_id) in json.loads(self.render_values or "{}").items()
        }
        text, keyboard = self.ticket_id._itims_telegram_content(
            self.kind, self.user_id, self.action, **values
        )
        keyboard = json.dumps(keyboard)
        if self.link_token:
            keyboard = keyboard.replace("{link}", self._itims_link_url(self.link_token))
        self.write({"text": text, "keyboard": keyboard})

    def _itims_send(self, api):
        """Send this claimed row and record the outcome (in the claiming transaction)."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self._itims_prepare()
        except Exception as error:  # an edited template that fails fails its row, visibly
            _logger.exception("Telegram message %s could not be rendered", self.id)
            self.write({"state": "failed", "last_error": f"Rendering failed: {error}"[:250]})
            return False
        self.state = "sending"
        try:
            result = api.call(self.method, self._itims_payload())
        except TelegramError as error:
            self._itims_failed(error)
            return False
        message_id = result.get("message_id") if isinstance(result, dict) else False
        self.write(
            {
                "state": "sent",
                "sent_at": precise_now(),
                "attempts": self.attempts + 1,
                "telegram_message_id": message_id or self.target_message_id,
                "last_error": False,
            }
        )
        return True

    def _itims_failed(self, error):
        self.ensure_one()
        now = fields.Datetime.now()
        attempts = self.attempts + 1
        if error.error_code == 429:
            retry_after = int(error.retry_after or 1)
            _logger.info("Telegram asked to wait %ss for chat %s", retry_after, self.chat_id)
            # every queued row of this chat waits, the other chats go on
            self.env.cr.execute(
                SQL(
                    "UPDATE itims_telegram_message SET next_attempt = %s "
                    "WHERE chat_id = %s AND state IN ('queued', 'sending')",
                    now + timedelta(seconds=retry_after),
                    self.chat_id,
                )
            )
            self.invalidate_model(["next_attempt"])
            self.write({"state": "queued", "last_error": str(error)})
        elif error.retryable and attempts < MAX_ATTEMPTS:
            delay = min(BACKOFF_BASE * 2 ** (attempts - 1), BACKOFF_MAX)
            delay *= random.uniform(0.8, 1.2)  # jitter: workers do not retry in step
            _logger.warning(
                "Telegram message %s to chat %s failed (%s), retry %s in %ss",
                self.id,
                self.chat_id,
                error,
                attempts,
                int(delay),
            )
            self.write(
                {
                    "state": "queued",
                    "attempts": attempts,
                    "next_attempt": now + timedelta(seconds=delay),
                    "last_error": str(error),
                }
            )
        elif self.method == "editMessageText" and "not modified" in (error.description or ""):
            self.write({"state": "sent", "sent_at": now, "attempts": attempts})
        else:
            _logger.warning(
                "Telegram message %s to chat %s failed for good: %s", self.id, self.chat_id, error
            )
            self.write({"state": "failed", "attempts": attempts, "last_error": str(error)})
            if error.error_code == 403:
                self._itims_chat_blocked(self.chat_id, str(error))

    @api.model
    def _itims_chat_blocked(self, chat_id, reason):
        """The chat refuses the bot: fail what is queued for it, mark its user."""
        self.sudo().search([("chat_id", "=", chat_id), ("state", "=", "queued")]).write(
            {"state": "failed", "last_error": reason}
        )
        # sudo: the blocked flag is bookkeeping of the bot, whoever notices it
        users = self.env["res.users"].sudo().search([("telegram_chat_id", "=", chat_id)])
        users.write({"itims_telegram_blocked": True})

    # ------------------------------------------------------------------
    # Tracked link
    # ------------------------------------------------------------------

    def _itims_mark_opened(self):
        """A button of these messages was used: the first time counts."""
        self.filtered(lambda m: not m.opened_at).sudo().write({"opened_at": fields.Datetime.now()})

    # ------------------------------------------------------------------
    # Retention
    # ------------------------------------------------------------------

    @api.autovacuum
    def _gc_sent_messages(self):
        """Delete messages handled more than the retention ago (sent, failed or
        cancelled; queued ones are never deleted)."""
        days = int(self._itims_param("retention_days", 365) or 0)
        if days <= 0:
            return
        limit = fields.Datetime.now() - timedelta(days=days)
        self.env.cr.execute(
            SQL(
                "DELETE FROM itims_telegram_message WHERE state IN ('sent', 'failed', "
                "'cancelled') AND COALESCE(sent_at, create_date) < %s",
                limit,
            )
        )
        _logger.info("Deleted %s Telegram messages older than %s days", self.env.cr.rowcount, days)

    @api.model
    def _itims_demo_history(self):
        """Demo data: the notifications of the demo tickets' history."""
        from ..demo.history import generate_history  # demo only: not imported in production

        return generate_history(self.env)
