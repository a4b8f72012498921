import secrets

from odoo import fields, models

from ..services.bot_api import DEFAULT_BASE_URL, TelegramError

PARAM = "helpdesk_itims_telegram.%s"
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    itims_telegram_bot_token = fields.Char(
        string="Bot Token",
        config_parameter="helpdesk_itims_telegram.bot_token",
        groups="base.group_system",
        help="Given by @BotFather. Empty: no Telegram notification is queued.",
    )
    itims_telegram_api_base_url = fields.Char(
        string="Bot API URL",
        config_parameter="helpdesk_itims_telegram.api_base_url",
        default=DEFAULT_BASE_URL,
        groups="base.group_system",
    )
    itims_telegram_webhook_secret = fields.Char(
        string="Webhook Secret",
        config_parameter="helpdesk_itims_telegram.webhook_secret",
        groups="base.group_system",
        help="Telegram sends it in every webhook request (header "
        "X-Telegram-Bot-Api-Secret-Token); generated when registering the webhook "
        "if empty.",
    )
    itims_telegram_receive_mode = fields.Selection(
        selection=[("webhook", "Webhook"), ("polling", "Polling")],
        string="Receive Mode",
        config_parameter="helpdesk_itims_telegram.receive_mode",
        default="webhook",
        groups="base.group_system",
        help="Webhook: Telegram calls /itims/telegram/webhook (needs a public HTTPS "
        "address). Polling: a cron asks Telegram for updates (getUpdates), for an "
        "Odoo reachable only from inside the institution.",
    )
    itims_telegram_bot_username = fields.Char(
        string="Bot Username",
        config_parameter="helpdesk_itims_telegram.bot_username",
        groups="base.group_system",
        help="Filled by Test connection; used in the technicians' linking links.",
    )
    itims_telegram_retention_days = fields.Integer(
        string="Keep Sent Notifications (days)",
        config_parameter="helpdesk_itims_telegram.retention_days",
        default=180,
        groups="base.group_system",
    )

    def _itims_telegram_notify(self, message, success):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Telegram"),
                "message": message,
                "type": "success" if success else "danger",
                "sticky": not success,
            },
        }

    def action_itims_telegram_test(self):
        """The "Test connection" button: getMe with the settings on screen."""
        self.ensure_one()
        self.set_values()
        Message = self.env["itims.telegram.message"]
        api = Message._itims_bot_api()
        if not api:
            return self._itims_telegram_notify(self.env._("Set the bot token first."), False)
        try:
            bot = api.call("getMe")
        except TelegramError as error:
            return self._itims_telegram_notify(
                self.env._("Telegram refused the connection: %s", str(error)), False
            )
        username = (bot or {}).get("username") or ""
        self.env["ir.config_parameter"].sudo().set_param(PARAM % "bot_username", username)
        return self._itims_telegram_notify(self.env._("Connected to the bot @%s.", username), True)

    def action_itims_telegram_register(self):
        """The "Register webhook" button: setWebhook (webhook mode) or deleteWebhook (polling
        mode, as Telegram refuses getUpdates while a webhook is set)."""
        self.ensure_one()
        ICP = self.env["ir.config_parameter"].sudo()
        if not self.itims_telegram_webhook_secret:
            self.itims_telegram_webhook_secret = secrets.token_urlsafe(32)
        self.set_values()
        api = self.env["itims.telegram.message"]._itims_bot_api()
        if not api:
            return self._itims_telegram_notify(self.env._("Set the bot token first."), False)
        if self.itims_telegram_receive_mode == "polling":
            try:
                api.call("deleteWebhook", {"drop_pending_updates": False})
            except TelegramError as error:
                return self._itims_telegram_notify(
                    self.env._("Telegram refused to remove the webhook: %s", str(error)), False
                )
            return self._itims_telegram_notify(
                self.env._("Webhook removed: updates are now polled by a scheduled action."),
                True,
            )
        url = ICP.get_param("web.base.url", "").rstrip("/") + "/itims/telegram/webhook"
        payload = {
            "url": url,
            "secret_token": self.itims_telegram_webhook_secret,
            "allowed_updates": ALLOWED_UPDATES,
        }
        try:
            api.call("setWebhook", payload)
        except TelegramError as error:
            return self._itims_telegram_notify(
                self.env._(
                    "Telegram refused the webhook %(url)s: %(error)s", url=url, error=str(error)
                ),
                False,
            )
        return self._itims_telegram_notify(self.env._("Webhook registered: %s", url), True)
