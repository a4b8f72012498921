import hashlib
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

LINK_VALIDITY = timedelta(hours=1)
LINK_PREFIX = "lnk_"


def hash_link_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


class ResUsers(models.Model):
    _inherit = "res.users"

    itims_telegram_blocked = fields.Boolean(
        string="Telegram Blocked",
        copy=False,
        readonly=True,
        groups="base.group_system,helpdesk_itims.group_itims_manager",
        help="The technician blocked the bot: Telegram refuses every message to them.",
    )
    itims_telegram_status = fields.Selection(
        selection=[
            ("unlinked", "Not linked"),
            ("linked", "Linked"),
            ("blocked", "Blocked"),
        ],
        string="Telegram",
        compute="_compute_itims_telegram_status",
    )
    itims_telegram_link_hash = fields.Char(copy=False, groups="base.group_system")
    itims_telegram_link_expiry = fields.Datetime(copy=False, groups="base.group_system")

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["itims_telegram_status"]

    def _compute_itims_telegram_status(self):
        # sudo: the chat id is private, its state (linked or not) is not
        for user, user_su in zip(self, self.sudo(), strict=True):
            if not user_su.telegram_chat_id:
                user.itims_telegram_status = "unlinked"
            elif user_su.itims_telegram_blocked:
                user.itims_telegram_status = "blocked"
            else:
                user.itims_telegram_status = "linked"

    def _itims_check_self_or_manager(self):
        user = self.env.user
        if self != user and not user.has_group("helpdesk_itims.group_itims_manager"):
            raise AccessError(self.env._("You can only link your own Telegram account."))

    def action_itims_telegram_connect(self):
        """The "Connect Telegram" button: a one-time deep link to the bot, valid one hour."""
        self.ensure_one()
        self._itims_check_self_or_manager()
        username = self.env["itims.telegram.message"]._itims_param("bot_username")
        if not username:
            raise UserError(
                self.env._(
                    "The Telegram bot is not configured yet: ask the administrator to "
                    "set it up (Settings, Helpdesk, Telegram)."
                )
            )
        token = LINK_PREFIX + secrets.token_urlsafe(24)
        # sudo: the token's hash and expiry are technical fields of the user
        self.sudo().write(
            {
                "itims_telegram_link_hash": hash_link_token(token),
                "itims_telegram_link_expiry": fields.Datetime.now() + LINK_VALIDITY,
            }
        )
        wizard = self.env["itims.telegram.link.wizard"].create(
            {"user_id": self.id, "link": f"https://t.me/{username}?start={token}"}
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Connect Telegram"),
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_itims_telegram_disconnect(self):
        """Unlink the Telegram chat (the user can link again later)."""
        self._itims_check_self_or_manager()
        for user in self.sudo():
            if user.telegram_chat_id:
                user._itims_telegram_unlink()
        return True

    def _itims_telegram_unlink(self):
        Message = self.env["itims.telegram.message"].sudo()
        for user in self.sudo():
            chat = user.telegram_chat_id
            Message.search([("chat_id", "=", chat), ("state", "=", "queued")]).write(
                {"state": "cancelled"}
            )
            user.write({"telegram_chat_id": False, "itims_telegram_blocked": False})

    @api.model
    def _itims_telegram_link(self, token, chat_id):
        """``/start <token>``: bind ``chat_id`` to the user the token was given to.
        Returns the user, or an empty recordset when the token is unknown or expired."""
        Users = self.sudo().with_context(active_test=True)
        user = Users.search([("itims_telegram_link_hash", "=", hash_link_token(token))], limit=1)
        if not user or user.itims_telegram_link_expiry < fields.Datetime.now():
            return self.browse()
        # a chat belongs to one user: whoever had it loses it
        Users.search([("telegram_chat_id", "=", chat_id), ("id", "!=", user.id)]).write(
            {"telegram_chat_id": False}
        )
        user.write(
            {
                "telegram_chat_id": chat_id,
                "itims_telegram_blocked": False,
                "itims_telegram_link_hash": False,
                "itims_telegram_link_expiry": False,
            }
        )
        return user

    @api.model
    def _itims_telegram_user(self, telegram_user_id):
        """The active user linked to this Telegram account (private chat id)."""
        if not telegram_user_id:
            return self.browse()
        return self.sudo().search([("telegram_chat_id", "=", str(telegram_user_id))], limit=1)
