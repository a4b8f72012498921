from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, freeze_time, tagged
from odoo.tools import mute_logger

from ..models.itims_telegram_message import GLOBAL_RATE
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
        # queued in the user's transaction, nothing sent to Telegram yet, and nothing
        # rendered there either: the sender renders each text for its recipient
        self.assertEqual(set(messages.mapped("state")), {"queued"})
        self.assertFalse(self.fake.calls())
        self.assertFalse(any(messages.mapped("text")))
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
        self._send()
        # rendered when sent, with the record it names (the new assignee)
        text = self._messages(ticket, kind="reassigned").text
        self.assertIn("Ahora lo atiende Luis Mamani", text)
        self.assertIn(text, [p["text"] for p in self.fake.calls("sendMessage", "ok")])
        ticket._itims_close("resolved", "Se cambió el tóner.")
        ticket.with_user(self.manager)._itims_reopen("La impresora vuelve a fallar.")
        reopened = self._messages(ticket, kind="reopened")
        self.assertEqual(reopened.chat_id, "777000222")
        # back in the manual team's queue: offered again to the available members
        offers = self._messages(ticket, kind="new_ticket", state="queued")
        self.assertEqual(len(offers), 3)
        with freeze_time(fields.Datetime.now() + timedelta(seconds=2)):
            self._send()
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

    def test_overall_rate_at_most_25_a_second(self):
        """Every worker together sends at most GLOBAL_RATE messages in any second:
        60 messages to 60 different chats (the per-chat limit never applies) take
        more than two seconds, and no 26 of them fall within one second."""
        Message = self.env["itims.telegram.message"]
        messages = Message._itims_enqueue(
            [
                {"chat_id": str(880000000 + index), "kind": "action", "text": f"Aviso {index}"}
                for index in range(60)
            ]
        )
        self._send(limit=60)
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        self.assertEqual(len(self.fake.calls("sendMessage", "ok")), 60)
        times = sorted(messages.mapped("sent_at"))
        self.assertGreaterEqual(times[-1] - times[0], timedelta(seconds=2))
        for first, twenty_sixth in zip(times, times[GLOBAL_RATE:], strict=False):
            self.assertGreaterEqual(twenty_sixth - first, timedelta(seconds=1))

    @mute_logger("odoo.addons.helpdesk_itims_telegram.models.itims_telegram_message")
    def test_400_fails_for_good_without_retry(self):
        """A 400 (a chat that does not exist, a query too old) is not retried: the row
        fails with Telegram's description, the other chats go on."""
        ticket = self._ticket()
        self.fake.fail("sendMessage", 400, chat_id=GROUP_CHAT)
        self._send()
        group = self._messages(ticket, chat_id=GROUP_CHAT)
        self.assertEqual(group.state, "failed")
        self.assertIn("400: Bad Request", group.last_error)
        self.assertEqual(len(self.fake.calls("sendMessage", "ok")), 2)
        with freeze_time(fields.Datetime.now() + timedelta(hours=2)):
            self._send()
        self.assertEqual(len(self.fake.calls("sendMessage", chat_id=GROUP_CHAT)), 1)

    @mute_logger("odoo.addons.helpdesk_itims_telegram.models.itims_telegram_message")
    def test_a_broken_template_fails_its_rows_visibly(self):
        """An administrator's edit that breaks a text: its rows fail with the reason,
        the others (another template) are sent, nothing is lost silently."""
        view = self.env.ref("helpdesk_itims_telegram.message_new_ticket")
        view.arch_db = (
            '<t t-name="helpdesk_itims_telegram.message_new_ticket">'
            '<t t-out="ticket.no_such_field"/></t>'
        )
        offered = self._ticket()
        assigned = self._ticket(team=self.team_auto)
        self._send()
        offers = self._messages(offered)
        self.assertEqual(set(offers.mapped("state")), {"failed"})
        self.assertTrue(all(m.startswith("Rendering failed") for m in offers.mapped("last_error")))
        self.assertEqual(self._messages(assigned).state, "sent")

    def test_metrics_per_technician(self):
        """The metrics view (sent, failed, opened, open rate, median and mean minutes
        to open) against a hand count; edits and replies are not notifications."""
        ticket = self._ticket()
        self._messages().write({"state": "cancelled"})
        sent = fields.Datetime.now() - timedelta(hours=3)
        rows = [
            # Rosa: 4 sent (opened after 2, 4 and 12 minutes, one never), 1 failed
            (self.tech_a, "new_ticket", "sent", 2),
            (self.tech_a, "assigned", "sent", 4),
            (self.tech_a, "sla_risk", "sent", 12),
            (self.tech_a, "reopened", "sent", None),
            (self.tech_a, "new_ticket", "failed", None),
            (self.tech_a, "taken", "sent", 1),  # an edit: not counted
            # Luis: 1 sent, never opened
            (self.tech_b, "new_ticket", "sent", None),
        ]
        Message = self.env["itims.telegram.message"].sudo()
        for user, kind, state, minutes in rows:
            Message.create(
                {
                    "chat_id": user.telegram_chat_id,
                    "user_id": user.id,
                    "ticket_id": ticket.id,
                    "kind": kind,
                    "text": "x",
                    "state": state,
                    "sent_at": sent if state == "sent" else False,
                    "opened_at": sent + timedelta(minutes=minutes) if minutes else False,
                }
            )
        Message.flush_model()
        Report = self.env["itims.telegram.report"].with_user(self.manager)
        rosa = Report.search([("user_id", "=", self.tech_a.id)])
        self.assertEqual((rosa.sent_count, rosa.failed_count, rosa.opened_count), (4, 1, 3))
        self.assertAlmostEqual(rosa.open_rate, 75.0, places=2)
        self.assertAlmostEqual(rosa.median_minutes_to_open, 4.0, places=2)
        self.assertAlmostEqual(rosa.avg_minutes_to_open, 6.0, places=2)
        luis = Report.search([("user_id", "=", self.tech_b.id)])
        self.assertEqual((luis.sent_count, luis.opened_count, luis.open_rate), (1, 0, 0.0))
        with self.assertRaises(AccessError):
            Report.with_user(self.tech_a).search([])
