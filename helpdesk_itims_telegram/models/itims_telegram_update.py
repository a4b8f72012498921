"""Updates received from Telegram (webhook or polling), each handled once.

``_itims_process(data)`` is the one handler of both receivers: it stores the
``update_id`` first (a unique index: the same update sent again, to this worker or
another, is ignored), parses the update with python-telegram-bot's
``Update.de_json`` and returns the immediate answer, a Bot API call as a dict
``{"method": ..., **payload}`` (the answer to a callback query or a reply), which
the webhook returns in its response body and the polling cron sends at once.
Nothing here raises on a malformed update: Telegram would retry it for hours.
"""

import logging
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from odoo import api, fields, models
from odoo.tools import SQL

from ..services.bot_api import TelegramError
from .helpdesk_ticket import first_name

_logger = logging.getLogger(__name__)

CALLBACK = re.compile(r"^(assign|release):(\d{1,12})$")
START = re.compile(r"^/start(?:@\w+)?\s+([A-Za-z0-9_-]{1,64})$")
QUEUE_SIZE = 5
KEEP_DAYS = 7


class ItimsTelegramUpdate(models.Model):
    _name = "itims.telegram.update"
    _description = "Telegram Update"
    _order = "id desc"
    _rec_name = "update_id"

    update_id = fields.Char(required=True, readonly=True)
    kind = fields.Char(readonly=True)
    state = fields.Selection(
        selection=[("done", "Handled"), ("ignored", "Ignored"), ("error", "Error")],
        default="done",
        readonly=True,
    )
    note = fields.Char(readonly=True)

    _sql_constraints = [
        ("update_id_unique", "UNIQUE(update_id)", "Telegram updates are handled once."),
    ]

    # ------------------------------------------------------------------
    # Entry point
    # ------------------------------------------------------------------

    @api.model
    def _itims_process(self, data):
        """Handle one update (a decoded JSON value); return the immediate answer."""
        answer = self._itims_handle(data)
        # recompute what the handling changed (a ticket taken) as superuser now: the
        # request's final flush would run it as the caller, the public user
        self.env.flush_all()
        return answer

    @api.model
    def _itims_handle(self, data):
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            _logger.warning("Ignored a malformed Telegram update")
            return None
        if not self._itims_claim(data["update_id"]):
            _logger.info("Ignored Telegram update %s: already handled", data["update_id"])
            return None
        record = self.sudo().search([("update_id", "=", str(data["update_id"]))])
        try:
            update = Update.de_json(data, None)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            _logger.warning("Ignored unreadable Telegram update %s: %s", data["update_id"], error)
            record.write({"state": "error", "note": "unreadable"})
            return None
        if update.callback_query:
            record.kind = "callback_query"
            return self._itims_on_callback(update.callback_query)
        if update.my_chat_member:
            record.kind = "my_chat_member"
            return self._itims_on_chat_member(update.my_chat_member)
        if update.message and update.message.text:
            record.kind = "message"
            return self._itims_on_message(update.message)
        record.write({"state": "ignored", "note": "not handled"})
        return None

    @api.model
    def _itims_claim(self, update_id):
        """Record ``update_id``; False when it was recorded before (by any worker)."""
        self.env.cr.execute(
            SQL(
                "INSERT INTO itims_telegram_update (update_id, state, create_date, write_date) "
                "VALUES (%s, 'done', now() at time zone 'UTC', now() at time zone 'UTC') "
                "ON CONFLICT (update_id) DO NOTHING RETURNING id",
                str(update_id),
            )
        )
        return bool(self.env.cr.fetchone())

    # ------------------------------------------------------------------
    # Answers
    # ------------------------------------------------------------------

    @api.model
    def _itims_lang(self, user):
        return (user and user.lang) or self.env.company.partner_id.lang or "es_ES"

    @api.model
    def _itims_reply(self, chat_id, text, keyboard=None):
        answer = {"method": "sendMessage", "chat_id": chat_id, "text": text, "parse_mode": "HTML"}
        if keyboard:
            answer["reply_markup"] = keyboard
        return answer

    @api.model
    def _itims_render(self, template, recipient, **values):
        Message = self.env["itims.telegram.message"]
        return Message._itims_render(
            f"helpdesk_itims_telegram.{template}", lang=self._itims_lang(recipient), **values
        )

    # ------------------------------------------------------------------
    # Callback queries: "Assign to me", "Back to the queue"
    # ------------------------------------------------------------------

    @api.model
    def _itims_on_callback(self, query):
        user = self.env["res.users"]._itims_telegram_user(query.from_user.id)
        env = self.with_context(lang=self._itims_lang(user)).env
        answer = {"method": "answerCallbackQuery", "callback_query_id": query.id}
        match = CALLBACK.match(query.data or "")
        if not user:
            answer["text"] = env._(
                "This Telegram account is not linked to ITIMS: connect it from your "
                "preferences first."
            )
            answer["show_alert"] = True
            return answer
        if not match:
            answer["text"] = env._("Unknown button.")
            return answer
        action, ticket_id = match.group(1), int(match.group(2))
        # sudo: the bot acts for the linked technician; the engine checks them
        ticket = env["helpdesk.ticket"].sudo().browse(ticket_id).exists()
        if not ticket:
            answer["text"] = env._("This ticket no longer exists.")
            return answer
        if query.message:
            self._itims_tapped(ticket, query.message)
        if action == "assign":
            result = ticket._itims_take(user)
            if result["code"] == "taken":
                answer["text"] = env._("Assigned to you: %s", ticket.number)
            elif result["code"] == "already_taken":
                answer["text"] = env._("Already taken by %s.", first_name(ticket.user_id))
                answer["show_alert"] = True
            else:
                answer["text"] = result["message"]
                answer["show_alert"] = not result["success"]
            return answer
        result = ticket._itims_release(user)
        answer["text"] = result["message"]
        answer["show_alert"] = not result["success"]
        return answer

    @api.model
    def _itims_tapped(self, ticket, message):
        """A button of a message we sent was used: it was opened."""
        sent = (
            self.env["itims.telegram.message"]
            .sudo()
            .search(
                [
                    ("ticket_id", "=", ticket.id),
                    ("chat_id", "=", str(message.chat.id)),
                    ("telegram_message_id", "=", message.message_id),
                ]
            )
        )
        sent._itims_mark_opened()

    # ------------------------------------------------------------------
    # Chat member: blocked or unblocked
    # ------------------------------------------------------------------

    @api.model
    def _itims_on_chat_member(self, member):
        chat_id = str(member.chat.id)
        status = member.new_chat_member.status
        Users = self.env["res.users"].sudo()
        if status == "kicked":
            _logger.info("Telegram chat %s blocked the bot", chat_id)
            self.env["itims.telegram.message"]._itims_chat_blocked(
                chat_id, "Forbidden: bot was blocked by the user"
            )
        elif status == "member":
            Users.search([("telegram_chat_id", "=", chat_id)]).write(
                {"itims_telegram_blocked": False}
            )

    # ------------------------------------------------------------------
    # Commands
    # ------------------------------------------------------------------

    @api.model
    def _itims_on_message(self, message):
        chat_id = str(message.chat.id)
        text = message.text.strip()
        Users = self.env["res.users"]
        start = START.match(text)
        if start:
            user = Users._itims_telegram_link(start.group(1), chat_id)
            if not user:
                return self._itims_reply(chat_id, self._itims_render("reply_link_invalid", user))
            return self._itims_reply(chat_id, self._itims_render("reply_linked", user, user=user))
        user = Users._itims_telegram_user(message.from_user and message.from_user.id)
        if not user or message.chat.type != "private":
            if message.chat.type != "private":
                return None  # group chats only receive notifications
            return self._itims_reply(chat_id, self._itims_render("reply_unknown", user))
        command = text.split()[0].split("@")[0].lower()
        if command == "/salir":
            reply = self._itims_reply(chat_id, self._itims_render("reply_unlinked", user))
            user._itims_telegram_unlink()
            return reply
        if command == "/mis_tickets":
            tickets = (
                self.env["helpdesk.ticket"]
                .sudo()
                .search(
                    [("user_id", "=", user.id), ("itims_state", "=", "in_progress")],
                    order="create_date",
                )
            )
            return self._itims_reply(
                chat_id, self._itims_render("reply_my_tickets", user, tickets=tickets)
            )
        if command == "/cola":
            return self._itims_queue_reply(chat_id, user)
        return self._itims_reply(chat_id, self._itims_render("reply_help", user))

    @api.model
    def _itims_queue_reply(self, chat_id, user):
        """The 5 oldest waiting tickets of the user's teams, each with its button."""
        env = self.with_context(lang=self._itims_lang(user)).env
        Ticket = env["helpdesk.ticket"].sudo()
        tickets = Ticket.search(
            [
                ("team_id", "in", user.helpdesk_team_ids.ids),
                ("user_id", "=", False),
                ("itims_state", "=", "registered"),
            ],
            order="create_date, id",
            limit=QUEUE_SIZE,
        )
        keyboard = None
        if tickets:
            label = env._("Assign to me")
            keyboard = InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton(f"{label}: {t.number}", callback_data=f"assign:{t.id}")]
                    for t in tickets
                ]
            ).to_dict()
        text = self._itims_render(
            "reply_queue",
            user,
            tickets=[t._itims_telegram_values(tz_name=user.tz) for t in tickets],
        )
        return self._itims_reply(chat_id, text, keyboard)

    # ------------------------------------------------------------------
    # Polling
    # ------------------------------------------------------------------

    @api.model
    def _cron_poll(self):
        """Scheduled action (polling mode): getUpdates from the persisted offset,
        handle each update and commit it with the new offset (a cron may commit:
        an update handled must not be fetched again after a crash)."""
        self._itims_poll(commit=self.env.cr.commit)

    @api.model
    def _itims_poll(self, commit=None, rounds=3):
        Message = self.env["itims.telegram.message"]
        if Message._itims_param("receive_mode") != "polling":
            return 0
        api = Message._itims_bot_api()
        if not api:
            return 0
        ICP = self.env["ir.config_parameter"].sudo()
        long_poll = int(Message._itims_param("polling_timeout", 20))
        handled = 0
        for _round in range(rounds):
            offset = int(ICP.get_param("helpdesk_itims_telegram.polling_offset", 0) or 0)
            payload = {
                "offset": offset,
                "timeout": long_poll,
                "allowed_updates": ["message", "callback_query", "my_chat_member"],
            }
            try:
                updates = api.call("getUpdates", payload, timeout=long_poll + 10)
            except TelegramError as error:
                _logger.warning("Telegram getUpdates failed: %s", error)
                return handled
            if not updates:
                return handled
            for data in updates:
                update_id = data.get("update_id") if isinstance(data, dict) else None
                answer = None
                try:
                    with self.env.cr.savepoint():
                        answer = self._itims_process(data)
                except Exception:  # one bad update must not stop the poll (logged with its trace)
                    _logger.exception("Telegram update %s failed", update_id)
                if isinstance(update_id, int):
                    ICP.set_param("helpdesk_itims_telegram.polling_offset", update_id + 1)
                if commit:
                    commit()
                if answer:
                    self._itims_send_answer(api, answer)
                handled += 1
        return handled

    @api.model
    def _itims_send_answer(self, api, answer):
        answer = dict(answer)
        method = answer.pop("method")
        try:
            api.call(method, answer)
        except TelegramError as error:  # an answer lost is only a reply lost
            _logger.warning("Telegram %s failed: %s", method, error)

    @api.autovacuum
    def _gc_updates(self):
        """Forget update ids after a week (Telegram keeps an update 24 hours)."""
        self.env.cr.execute(
            SQL(
                "DELETE FROM itims_telegram_update WHERE create_date < %s",
                fields.Datetime.subtract(fields.Datetime.now(), days=KEEP_DAYS),
            )
        )
