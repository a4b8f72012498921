import json
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools import mute_logger

from .common import SECRET, TelegramCaseMixin, callback_update, text_update, update

WEBHOOK = "/itims/telegram/webhook"
LOGGERS = (
    "odoo.addons.helpdesk_itims_telegram.controllers.main",
    "odoo.addons.helpdesk_itims_telegram.models.itims_telegram_update",
)


@tagged("post_install", "-at_install")
class TestWebhook(TelegramCaseMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_telegram()

    def setUp(self):
        super().setUp()
        self.fake.reset()

    def _post(self, data, secret=SECRET, raw=None):
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        body = raw if raw is not None else json.dumps(data)
        return self.url_open(WEBHOOK, data=body, headers=headers)

    def _offered(self):
        """A new ticket of the manual team, its offers sent: {chat id: message}."""
        ticket = self._ticket()
        self._send()
        return ticket, {m.chat_id: m for m in self._messages(ticket)}

    def _updates(self):
        return self.env["itims.telegram.update"].sudo().search_count([])

    # ------------------------------------------------------------------ security

    @mute_logger(*LOGGERS)
    def test_wrong_or_missing_secret_is_refused(self):
        ticket, offers = self._offered()
        data = callback_update(1001, 777000111, ticket, offers["777000111"].telegram_message_id)
        before = self._updates()
        for secret in ("wrong-secret", None, ""):
            response = self._post(data, secret=secret)
            self.assertEqual(response.status_code, 403)
        self.assertEqual(self._updates(), before)
        self.assertFalse(ticket.user_id)
        self.assertEqual(ticket.itims_state, "registered")

    @mute_logger(*LOGGERS)
    def test_malformed_or_unknown_updates_get_200(self):
        before = self._updates()
        for raw in ("not json", "[1, 2]", "{}", '{"update_id": "x"}', "null"):
            response = self._post(None, raw=raw)
            self.assertEqual(response.status_code, 200, raw)
            self.assertEqual(response.json(), {})
        self.assertEqual(self._updates(), before, "nothing stored for a malformed body")
        # an update without the fields the parser needs, and a kind not handled
        response = self._post({"update_id": 2001, "message": {"text": "hola"}})
        self.assertEqual((response.status_code, response.json()), (200, {}))
        silent = update("update_start_link.json", update_id=2002)
        del silent["message"]["text"], silent["message"]["entities"]  # e.g. a photo
        response = self._post(silent)
        self.assertEqual(response.status_code, 200)
        states = (
            self.env["itims.telegram.update"].sudo().search([("update_id", "in", ["2001", "2002"])])
        )
        self.assertEqual(sorted(states.mapped("state")), ["error", "ignored"])

    # ------------------------------------------------------------------ linking

    def test_linking_by_deep_link(self):
        self.tech_c.invalidate_recordset()
        action = self.tech_c.with_user(self.tech_c).action_itims_telegram_connect()
        wizard = self.env["itims.telegram.link.wizard"].browse(action["res_id"])
        self.assertTrue(wizard.link.startswith("https://t.me/soporte_ti_bot?start=lnk_"))
        self.assertTrue(wizard.qr_code)
        token = wizard.link.split("start=")[1]
        self.assertLessEqual(len(token), 64)
        response = self._post(text_update(3001, 777000333, f"/start {token}"))
        answer = response.json()
        self.assertEqual(answer["method"], "sendMessage")
        self.assertEqual(answer["chat_id"], "777000333")
        self.assertIn("Tu cuenta de Telegram quedó vinculada a ITIMS", answer["text"])
        self.assertEqual(self.tech_c.sudo().telegram_chat_id, "777000333")
        self.assertEqual(self.tech_c.itims_telegram_status, "linked")
        # the token works once
        answer = self._post(text_update(3002, 777000334, f"/start {token}")).json()
        self.assertIn("no es válido o ya venció", answer["text"])
        self.assertEqual(self.tech_c.sudo().telegram_chat_id, "777000333")

    def test_link_expires_after_one_hour(self):
        action = self.tech_c.with_user(self.tech_c).action_itims_telegram_connect()
        token = self.env["itims.telegram.link.wizard"].browse(action["res_id"]).link
        token = token.split("start=")[1]
        with freeze_time(fields.Datetime.now() + timedelta(minutes=61)):
            answer = self._post(text_update(3101, 777000333, f"/start {token}")).json()
        self.assertIn("no es válido o ya venció", answer["text"])
        self.assertFalse(self.tech_c.sudo().telegram_chat_id)

    def test_unlink_by_command_and_by_button(self):
        answer = self._post(text_update(3201, 777000111, "/salir")).json()
        self.assertIn("ya no está vinculada", answer["text"])
        self.assertFalse(self.tech_a.sudo().telegram_chat_id)
        self.tech_b.with_user(self.tech_b).action_itims_telegram_disconnect()
        self.assertEqual(self.tech_b.itims_telegram_status, "unlinked")

    def test_unknown_chat_is_politely_refused(self):
        answer = self._post(text_update(3301, 555000555, "/cola")).json()
        self.assertEqual(answer["chat_id"], "555000555")
        self.assertIn("no está vinculada a ITIMS", answer["text"])

    def test_commands(self):
        waiting = self._ticket()
        mine = self._ticket(name="No hay internet")
        mine._itims_take(self.tech_a)
        answer = self._post(text_update(3401, 777000111, "/mis_tickets")).json()
        self.assertIn(mine.number, answer["text"])
        self.assertNotIn(waiting.number, answer["text"])
        answer = self._post(text_update(3402, 777000111, "/cola")).json()
        self.assertIn(waiting.number, answer["text"])
        buttons = self._buttons(answer)
        self.assertIn(
            {"text": f"Asignarme: {waiting.number}", "callback_data": f"assign:{waiting.id}"},
            buttons,
        )
        self.assertLessEqual(len(buttons), 5)
        answer = self._post(text_update(3403, 777000111, "/ayuda")).json()
        self.assertIn("/mis_tickets", answer["text"])

    # ------------------------------------------------------------------ callbacks

    def test_assign_from_telegram(self):
        ticket, offers = self._offered()
        rosa = offers["777000111"]
        response = self._post(callback_update(4001, 777000111, ticket, rosa.telegram_message_id))
        answer = response.json()
        self.assertEqual(answer["method"], "answerCallbackQuery")
        self.assertEqual(answer["callback_query_id"], "cbq4001")
        self.assertEqual(answer["text"], f"Asignado a ti: {ticket.number}")
        self.assertEqual(ticket.user_id, self.tech_a)
        self.assertEqual(ticket.itims_state, "in_progress")
        self.assertTrue(ticket.first_response_date)
        self.assertTrue(rosa.opened_at)
        # every notified chat is edited to show who took it
        edits = self._messages(ticket, kind="taken")
        self.assertEqual(sorted(edits.mapped("chat_id")), sorted(offers))
        # a second later (one message a second per chat)
        with freeze_time(fields.Datetime.now() + timedelta(seconds=2)):
            self._send()
        edited = self.fake.calls("editMessageText", "ok")
        self.assertEqual(len(edited), 3)
        luis = next(p for p in edited if p["chat_id"] == "777000222")
        self.assertEqual(luis["message_id"], offers["777000222"].telegram_message_id)
        self.assertTrue(luis["text"].endswith("<b>Tomado por Rosa</b>"))
        self.assertEqual([b["text"] for b in self._buttons(luis)], ["Ver ticket"])
        # the second tap is told who took it
        response = self._post(callback_update(4002, 777000222, ticket, 1))
        self.assertEqual(response.json()["text"], "Ya fue tomado por Rosa.")
        self.assertEqual(ticket.user_id, self.tech_a)

    def test_assign_refused_by_the_engine(self):
        ticket, _offers = self._offered()
        self.tech_b.sudo().itims_max_active_tickets = 0
        answer = self._post(callback_update(4101, 777000222, ticket, 1)).json()
        self.assertIn("máximo", answer["text"])
        self.assertTrue(answer["show_alert"])
        self.assertFalse(ticket.user_id)

    def test_unknown_user_taps(self):
        ticket, _offers = self._offered()
        answer = self._post(callback_update(4201, 555000555, ticket, 1)).json()
        self.assertEqual(answer["method"], "answerCallbackQuery")
        self.assertIn("no está vinculada a ITIMS", answer["text"])
        self.assertFalse(ticket.user_id)

    def test_duplicate_update_is_ignored(self):
        ticket, offers = self._offered()
        data = callback_update(4301, 777000111, ticket, offers["777000111"].telegram_message_id)
        self.assertEqual(self._post(data).json()["text"], f"Asignado a ti: {ticket.number}")
        ticket._itims_release(self.tech_a)
        self.assertFalse(ticket.user_id)
        # Telegram sends the same update again: nothing happens
        self.assertEqual(self._post(data).json(), {})
        self.assertFalse(ticket.user_id)

    def test_release_to_the_queue(self):
        ticket = self._ticket(team=self.team_auto)
        self.assertEqual(ticket.user_id, self.tech_f)
        answer = self._post(callback_update(4401, 777000666, ticket, 1, "release")).json()
        self.assertEqual(answer["text"], f"El ticket {ticket.number} volvió a la cola.")
        # nobody else is available in the team: it waits, not given back to Fabio
        self.assertFalse(ticket.user_id)
        self.assertEqual(ticket.itims_state, "registered")
        # only the holder (or a manager) may release
        ticket._itims_take(self.tech_f)
        result = ticket._itims_release(self.tech_a)
        self.assertEqual(result["code"], "not_allowed")
        self.assertEqual(ticket._itims_release(self.manager)["code"], "released")

    def test_blocked_by_the_user(self):
        data = update("update_blocked.json")
        data["my_chat_member"]["chat"]["id"] = 777000222
        self._ticket()  # queued notifications for Luis
        response = self._post(data)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(self.tech_b.itims_telegram_blocked)
        self.assertEqual(self.tech_b.itims_telegram_status, "blocked")
        queued = self._messages(chat_id="777000222", state="queued")
        self.assertFalse(queued, "nothing left queued for a blocked chat")

    # ------------------------------------------------------------------ tracked link

    def test_tracked_link(self):
        ticket, offers = self._offered()
        token = offers["777000222"].link_token
        response = self.url_open(f"/itims/t/{token}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])
        self.assertFalse(offers["777000222"].opened_at, "not opened before the login")
        self.authenticate("tg_luis", "tg_luis")
        response = self.url_open(f"/itims/t/{token}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(f"/odoo/helpdesk.ticket/{ticket.id}"))
        self.assertTrue(offers["777000222"].opened_at)
        self.assertTrue(ticket.first_response_date)
        self.assertFalse(offers["777000111"].opened_at)
        self.assertEqual(self.url_open("/itims/t/not-a-real-token-at-all").status_code, 404)
