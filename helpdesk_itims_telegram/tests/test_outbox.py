from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, freeze_time, tagged

from .common import GROUP_CHAT, TelegramCaseMixin
from .fake_bot_api import silent_server


@tagged("post_install", "-at_install")
class TestOutbox(TelegramCaseMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_telegram()

    def setUp(self):
        super().setUp()
        self.fake.reset()

    def test_new_ticket_notification_content_and_buttons(self):
        ticket = self._ticket()
        messages = self._messages(ticket)
        # queued in the user's transaction, nothing sent to Telegram yet
        self.assertEqual(set(messages.mapped("state")), {"queued"})
        self.assertFalse(self.fake.calls())
        # available members (on duty, linked, not blocked) and the group chat
        self.assertEqual(
            sorted(messages.mapped("chat_id")), sorted(["777000111", "777000222", GROUP_CHAT])
        )
        self._send()
        sent = self.fake.calls("sendMessage", "ok")
        self.assertEqual(len(sent), 3)
        payload = next(p for p in sent if p["chat_id"] == "777000111")
        lines = payload["text"].split("\n")
        self.assertEqual(lines[0], f"<b>Nuevo ticket {ticket.number}</b>")
        self.assertEqual(lines[1], "Soporte: Impresoras")
        self.assertEqual(lines[2], "Registrado por: J*** P***")
        self.assertEqual(lines[3], "Oficina: Oficina de Abastecimiento")
        self.assertTrue(lines[4].startswith("Fecha: "), lines)
        self.assertEqual(payload["parse_mode"], "HTML")
        view, assign = self._buttons(payload)
        self.assertEqual(view["text"], "Ver ticket")
        token = self._messages(ticket, chat_id="777000111").link_token
        self.assertEqual(view["url"], f"http://soporte.example.gob.pe/itims/t/{token}")
        self.assertEqual(assign, {"text": "Asignarme", "callback_data": f"assign:{ticket.id}"})
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        self.assertTrue(all(messages.mapped("telegram_message_id")))
        # every message has its own tracked link
        self.assertEqual(len(set(messages.mapped("link_token"))), 3)

    def test_automatic_assignment_tells_the_chosen_technician(self):
        ticket = self._ticket(team=self.team_auto)
        self.assertEqual(ticket.user_id, self.tech_f)
        message = self._messages(ticket)
        self.assertEqual((message.chat_id, message.kind), ("777000666", "assigned"))
        self._send()
        (payload,) = self.fake.calls("sendMessage", "ok")
        self.assertTrue(payload["text"].startswith(f"<b>Asignado a ti: {ticket.number}</b>"))
        view, release = self._buttons(payload)
        self.assertEqual(view["text"], "Ver ticket")
        self.assertEqual(
            release, {"text": "Devolver a la cola", "callback_data": f"release:{ticket.id}"}
        )

    def test_reassigned_tells_both_and_reopened_tells_the_assignee(self):
        ticket = self._ticket()
        ticket._itims_take(self.tech_a)
        self._messages().write({"state": "cancelled"})
        ticket.with_user(self.manager).user_id = self.tech_b
        kinds = {(m.chat_id, m.kind) for m in self._messages(ticket, state="queued")}
        self.assertEqual(kinds, {("777000111", "reassigned"), ("777000222", "assigned")})
        text = self._messages(ticket, kind="reassigned").text
        self.assertIn("Ahora lo atiende Luis Mamani", text)
        self._messages().write({"state": "cancelled"})
        ticket._itims_close("resolved", "Se cambió el tóner.")
        ticket.with_user(self.manager)._itims_reopen("La impresora vuelve a fallar.")
        reopened = self._messages(ticket, kind="reopened")
        self.assertEqual(reopened.chat_id, "777000222")
        # back in the manual team's queue: offered again to the available members
        offers = self._messages(ticket, kind="new_ticket", state="queued")
        self.assertEqual(len(offers), 3)
        self.assertIn(f"Reabierto: {ticket.number}", reopened.text)

    def test_disabled_without_a_bot_token(self):
        self.env["ir.config_parameter"].sudo().set_param("helpdesk_itims_telegram.bot_token", False)
        ticket = self._ticket()
        self.assertFalse(self._messages(ticket))

    def test_429_is_honoured_per_chat(self):
        ticket = self._ticket()
        self.fake.fail("sendMessage", 429, chat_id="777000111", retry_after=35)
        now = fields.Datetime.now()
        with freeze_time(now):
            self._send()
        rosa = self._messages(ticket, chat_id="777000111")
        self.assertEqual(rosa.state, "queued")
        self.assertEqual(rosa.next_attempt, now + timedelta(seconds=35))
        self.assertIn("429", rosa.last_error)
        # the other chats went on
        self.assertEqual(len(self.fake.calls("sendMessage", "ok")), 2)
        with freeze_time(now + timedelta(seconds=20)):
            self._send()
        self.assertEqual(rosa.state, "queued", "not before retry_after")
        with freeze_time(now + timedelta(seconds=36)):
            self._send()
        self.assertEqual(rosa.state, "sent")
        self.assertEqual(len(self.fake.calls("sendMessage", "ok", chat_id="777000111")), 1)

    def test_one_message_a_second_per_chat(self):
        tickets = self._ticket() | self._ticket(name="El monitor no enciende")
        now = fields.Datetime.now()
        with freeze_time(now):
            self._send()
        self.assertEqual(len(self.fake.calls("sendMessage", "ok", chat_id="777000111")), 1)
        with freeze_time(now + timedelta(seconds=2)):
            self._send()
        self.assertEqual(len(self.fake.calls("sendMessage", "ok", chat_id="777000111")), 2)
        self.assertEqual(set(self._messages(tickets).mapped("state")), {"sent"})

    def test_outage_then_recovery_nothing_lost_nothing_twice(self):
        ticket = self._ticket()
        messages = self._messages(ticket)
        # 1. connection refused (nothing listens on the configured port)
        ICP = self.env["ir.config_parameter"].sudo()
        ICP.set_param("helpdesk_itims_telegram.api_base_url", "http://127.0.0.1:9")
        now = fields.Datetime.now()
        with freeze_time(now):
            self._send()
        self.assertEqual(set(messages.mapped("state")), {"queued"})
        self.assertEqual(set(messages.mapped("attempts")), {1})
        self.assertTrue(all(m.next_attempt > now for m in messages), "backed off")
        self.assertNotIn(self.fake.token, "".join(messages.mapped("last_error")))
        # 2. the server is back but answers 500, then hangs past the client timeout
        ICP.set_param("helpdesk_itims_telegram.api_base_url", self.fake.url)
        self.fake.fail("sendMessage", 500, times=3)
        self._due(messages)
        self._send()
        self.assertEqual(set(messages.mapped("state")), {"queued"})
        self.assertEqual(set(messages.mapped("attempts")), {2})
        self.assertEqual(set(messages.mapped("last_error")), {"500: Internal Server Error"})
        # 3. a server that accepts the connection and never answers: client timeout
        with silent_server() as url:
            ICP.set_param("helpdesk_itims_telegram.api_base_url", url)
            self._due(messages)
            self._send()
        self.assertEqual(set(messages.mapped("state")), {"queued"})
        self.assertEqual(set(messages.mapped("attempts")), {3})
        self.assertEqual(set(messages.mapped("last_error")), {"Timed out waiting for the Bot API"})
        ICP.set_param("helpdesk_itims_telegram.api_base_url", self.fake.url)
        self.assertEqual(len(self.fake.calls("sendMessage")), 3)
        # 4. recovery: each chat gets its message exactly once
        self._due(messages)
        self._send()
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        delivered = [p["chat_id"] for p in self.fake.calls("sendMessage", "ok")]
        self.assertEqual(sorted(delivered), sorted(messages.mapped("chat_id")))

    def _due(self, messages):
        """The backoff elapsed (set in the past rather than by travelling in time:
        the client timeout must run on the real clock)."""
        past = fields.Datetime.now() - timedelta(seconds=1)
        messages.sudo().write({"next_attempt": past})

    def test_gives_up_after_the_last_attempt(self):
        ticket = self._ticket()
        message = self._messages(ticket, chat_id=GROUP_CHAT)
        message.sudo().attempts = 9
        self.fake.fail("sendMessage", 500, chat_id=GROUP_CHAT)
        self._send()
        self.assertEqual(message.state, "failed")
        self.assertIn("500", message.last_error)

    def test_403_blocked_chat(self):
        ticket = self._ticket()
        self.fake.fail("sendMessage", 403, chat_id="777000222")
        self._send()
        luis = self._messages(ticket, chat_id="777000222")
        self.assertEqual(luis.state, "failed")
        self.assertEqual(luis.last_error, "403: Forbidden: bot was blocked by the user")
        self.assertTrue(self.tech_b.itims_telegram_blocked)
        self.assertEqual(self.tech_b.itims_telegram_status, "blocked")
        # no retry, and the next ticket does not queue anything for the blocked chat
        self._send()
        self.assertEqual(len(self.fake.calls("sendMessage", chat_id="777000222")), 1)
        self.assertFalse(self._messages(self._ticket(), chat_id="777000222"))

    def test_retention(self):
        ticket = self._ticket()
        self._send()
        messages = self._messages(ticket)
        self.env["ir.config_parameter"].sudo().set_param(
            "helpdesk_itims_telegram.retention_days", 30
        )
        Message = self.env["itims.telegram.message"]
        with freeze_time(fields.Datetime.now() + timedelta(days=29)):
            Message._gc_sent_messages()
        self.assertEqual(len(messages.exists()), 3)
        queued = self._ticket()
        with freeze_time(fields.Datetime.now() + timedelta(days=31)):
            Message._gc_sent_messages()
        self.assertFalse(messages.exists())
        self.assertEqual(len(self._messages(queued)), 3, "queued rows are never purged")
