from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import PARAM, TelegramCaseMixin, callback_update, text_update


@tagged("post_install", "-at_install")
class TestPollingAndSettings(TelegramCaseMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_telegram()

    def setUp(self):
        super().setUp()
        self.fake.reset()
        self.ICP = self.env["ir.config_parameter"].sudo()

    def test_polling_end_to_end(self):
        self.ICP.set_param(PARAM % "receive_mode", "polling")
        self.ICP.set_param(PARAM % "polling_timeout", "0")
        ticket = self._ticket()
        self._send()
        rosa = self._messages(ticket, chat_id="777000111")
        self.fake.updates.extend(
            [
                text_update(6001, 777000111, "/ayuda"),
                callback_update(6002, 777000111, ticket, rosa.telegram_message_id),
            ]
        )
        Update = self.env["itims.telegram.update"]
        self.assertEqual(Update._itims_poll(rounds=2), 2)
        self.assertEqual(ticket.user_id, self.tech_a)
        self.assertEqual(self.ICP.get_param(PARAM % "polling_offset"), "6003")
        (poll, *_rest) = self.fake.calls("getUpdates")
        self.assertEqual(poll["offset"], 0)
        self.assertEqual(poll["timeout"], 0)
        self.assertIn("callback_query", poll["allowed_updates"])
        # the answers went straight to the Bot API
        (help_reply,) = self.fake.calls("sendMessage", "ok", chat_id="777000111")[-1:]
        self.assertIn("/mis_tickets", help_reply["text"])
        (answer,) = self.fake.calls("answerCallbackQuery", "ok")
        self.assertEqual(answer["text"], f"Asignado a ti: {ticket.number}")
        # the next poll asks from the persisted offset; an update served again is ignored
        self.fake.reset()
        self.fake.updates.append(callback_update(6002, 777000222, ticket, 1))
        Update._itims_poll(rounds=1)
        self.assertEqual(self.fake.calls("getUpdates")[0]["offset"], 6003)
        self.assertFalse(self.fake.calls("answerCallbackQuery"))

    def test_polling_off_in_webhook_mode(self):
        self.fake.updates.append(text_update(6101, 777000111, "/ayuda"))
        self.assertEqual(self.env["itims.telegram.update"]._itims_poll(), 0)
        self.assertFalse(self.fake.calls())

    @mute_logger("odoo.addons.helpdesk_itims_telegram.models.itims_telegram_update")
    def test_polling_survives_an_outage(self):
        self.ICP.set_param(PARAM % "receive_mode", "polling")
        self.fake.fail("getUpdates", 500)
        self.assertEqual(self.env["itims.telegram.update"]._itims_poll(), 0)
        self.assertEqual(len(self.fake.calls("getUpdates")), 1)

    def test_settings_buttons(self):
        settings = self.env["res.config.settings"].create({})
        self.ICP.set_param(PARAM % "bot_username", False)
        result = settings.action_itims_telegram_test()
        self.assertEqual(result["params"]["type"], "success")
        self.assertIn("@soporte_ti_bot", result["params"]["message"])
        self.assertEqual(self.ICP.get_param(PARAM % "bot_username"), "soporte_ti_bot")
        self.fake.fail("getMe", 500)
        result = settings.action_itims_telegram_test()
        self.assertEqual(result["params"]["type"], "danger")
        self.assertIn("500", result["params"]["message"])
        # webhook registered with its secret and the updates the bot handles
        settings.itims_telegram_webhook_secret = False
        result = settings.action_itims_telegram_register()
        self.assertEqual(result["params"]["type"], "success")
        (call,) = self.fake.calls("setWebhook")
        self.assertEqual(call["url"], "http://soporte.example.gob.pe/itims/telegram/webhook")
        secret = self.ICP.get_param(PARAM % "webhook_secret")
        self.assertEqual(call["secret_token"], secret)
        self.assertGreaterEqual(len(secret), 32)
        self.assertEqual(
            sorted(call["allowed_updates"]), ["callback_query", "message", "my_chat_member"]
        )
        settings.itims_telegram_receive_mode = "polling"
        result = settings.action_itims_telegram_register()
        self.assertEqual(result["params"]["type"], "success")
        self.assertEqual(len(self.fake.calls("deleteWebhook")), 1)

    def test_server_action_from_an_automation_rule(self):
        self.env["base.automation"].search([]).active = False  # the demo's rule
        action = self.env["ir.actions.server"].create(
            {
                "name": "Prioridad alta a jefes",
                "model_id": self.env.ref("helpdesk_mgmt.model_helpdesk_ticket").id,
                "state": "telegram",
                "telegram_recipients": "managers",
                "telegram_template": "<b>Prioridad alta {{ object.number }}</b>\n{{ object.name }}",
            }
        )
        self.env["base.automation"].create(
            {
                "name": "Prioridad alta",
                "model_id": action.model_id.id,
                "trigger": "on_create_or_write",
                "trigger_field_ids": [
                    (6, 0, self.env.ref("helpdesk_mgmt.field_helpdesk_ticket__priority").ids)
                ],
                "filter_domain": "[('priority', '=', '3')]",
                "action_server_ids": [(6, 0, action.ids)],
            }
        )
        normal = self._ticket()
        self.assertFalse(self._messages(normal, kind="action"))
        urgent = self._ticket(name="Servidor caído", priority="3")
        messages = self._messages(urgent, kind="action")
        managers = self.env.ref("helpdesk_itims.group_itims_manager").users
        self.assertLessEqual(messages.user_id, managers, "managers only")
        (message,) = messages.filtered(lambda m: m.user_id == self.manager)
        self.assertEqual(message.chat_id, "777000999")
        self.assertEqual(message.text, f"<b>Prioridad alta {urgent.number}</b>\nServidor caído")
        self._send()
        self.assertEqual(len(self.fake.calls("sendMessage", "ok", chat_id="777000999")), 1)

    @mute_logger("odoo.addons.helpdesk_itims_telegram.models.itims_telegram_update")
    def test_query_too_old_in_polling(self):
        """Polling answers a callback after handling it; Telegram refuses an answer
        that came too late (400 "query is too old"). The tap still counts (the ticket
        is taken once), the offset moves on, and the update is not handled again."""
        self.ICP.set_param(PARAM % "receive_mode", "polling")
        self.ICP.set_param(PARAM % "polling_timeout", "0")
        ticket = self._ticket()
        self._send()
        rosa = self._messages(ticket, chat_id="777000111")
        self.fake.fail("answerCallbackQuery", 400)
        self.fake.updates.append(callback_update(6201, 777000111, ticket, rosa.telegram_message_id))
        Update = self.env["itims.telegram.update"]
        self.assertEqual(Update._itims_poll(rounds=1), 1)
        self.assertEqual(ticket.user_id, self.tech_a)
        self.assertEqual(
            self.fake.calls("answerCallbackQuery", 400)[0]["callback_query_id"], "cbq6201"
        )
        self.assertEqual(self.ICP.get_param(PARAM % "polling_offset"), "6202")
        self.assertEqual(Update.search([("update_id", "=", "6201")]).state, "done")
        # no retry of the answer, no second handling on the next poll
        Update._itims_poll(rounds=1)
        self.assertEqual(len(self.fake.calls("answerCallbackQuery")), 1)
        self.assertEqual(ticket.user_id, self.tech_a)
