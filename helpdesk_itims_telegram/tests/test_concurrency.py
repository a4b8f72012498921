"""Telegram under real concurrency, outside test mode (as
helpdesk_itims/tests/test_assignment_concurrency.py and
test_rate_limit_concurrency.py): fixtures are committed through real connections
and deleted again in a cleanup; the webhook requests go to the real HTTP server
that ``--odoo-http`` starts in this process, each in its own thread, connection
and transaction, replayed by Odoo on a serialization failure as in production."""

import json
import threading
import uuid

import requests

from odoo import SUPERUSER_ID, api
from odoo.tests import new_test_user, tagged

from odoo.addons.helpdesk_itims.tests.common import RealConnectionCase

from .common import PARAM, SECRET, callback_update
from .fake_bot_api import FakeBotApi


@tagged("post_install", "-at_install")
class TestTelegramConcurrency(RealConnectionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeBotApi().start()
        cls.addClassCleanup(cls.fake.stop)

    def setUp(self):
        super().setUp()
        self.tag = uuid.uuid4().hex[:8]
        self.chats = [str(880000000 + int(self.tag[:6], 16) % 100000 * 10 + i) for i in (1, 2)]
        self.addCleanup(self._cleanup)
        self.ids = self._in_transaction(self._create_fixtures)

    def _create_fixtures(self, env):
        ICP = env["ir.config_parameter"]
        keys = ("bot_token", "api_base_url", "webhook_secret")
        previous = {key: ICP.get_param(PARAM % key) for key in keys}
        ICP.set_param(PARAM % "bot_token", self.fake.token)
        ICP.set_param(PARAM % "api_base_url", self.fake.url)
        ICP.set_param(PARAM % "webhook_secret", SECRET)
        users = env["res.users"]
        for index, chat in enumerate(self.chats):
            user = new_test_user(
                env,
                login=f"tg_race_{self.tag}_{index}",
                name=f"Técnico{index} Carrera",
                groups="helpdesk_itims.group_itims_technician",
            )
            user.telegram_chat_id = chat
            users |= user
        team = env["helpdesk.ticket.team"].create(
            {
                "name": f"Carrera {self.tag}",
                "itims_assignment_method": "manual",
                "user_ids": [(6, 0, users.ids)],
            }
        )
        ticket = env["helpdesk.ticket"].create(
            {"name": "Carrera", "description": "<p>Dos toques</p>", "team_id": team.id}
        )
        return {"previous": previous, "users": users.ids, "team": team.id, "ticket": ticket.id}

    def _cleanup(self):
        def delete(env):
            ids = getattr(self, "ids", None)
            if not ids:
                return
            env = env(context=dict(env.context, itims_skip_assignment=True, active_test=False))
            for key, value in ids["previous"].items():
                env["ir.config_parameter"].set_param(PARAM % key, value or False)
            env["itims.telegram.message"].search([("ticket_id", "=", ids["ticket"])]).unlink()
            env["itims.telegram.message"].search([("chat_id", "in", self.chats)]).unlink()
            env["itims.telegram.update"].search(
                [("update_id", "=like", f"{self.tag_number}%")]
            ).unlink()
            env["helpdesk.ticket"].browse(ids["ticket"]).unlink()
            env["helpdesk.ticket.team"].browse(ids["team"]).unlink()
            users = env["res.users"].browse(ids["users"])
            partners = users.partner_id
            users.unlink()
            partners.unlink()

        self._in_transaction(delete)

    @property
    def tag_number(self):
        return 500000000 + int(self.tag[:6], 16)

    def _tap(self, update, results, index, barrier):
        barrier.wait(timeout=30)
        try:
            response = requests.post(
                f"{self.base_url}/itims/telegram/webhook",
                data=json.dumps(update),
                headers={
                    "Content-Type": "application/json",
                    "X-Telegram-Bot-Api-Secret-Token": SECRET,
                },
                timeout=60,
            )
            results[index] = (response.status_code, response.json())
        except requests.RequestException as error:
            results[index] = error

    def test_two_technicians_tap_at_once(self):
        def ticket(env):
            return env["helpdesk.ticket"].browse(self.ids["ticket"])

        updates = [
            callback_update(self.tag_number * 10 + index, chat, self.ids["ticket"], 1)
            for index, chat in enumerate(self.chats)
        ]
        results = [None, None]
        barrier = threading.Barrier(2)
        threads = [
            threading.Thread(target=self._tap, args=(update, results, index, barrier))
            for index, update in enumerate(updates)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=90)
            self.assertFalse(thread.is_alive(), "a request hung")
        self.assertEqual([r[0] for r in results], [200, 200], results)
        texts = [r[1]["text"] for r in results]
        won = ("Assigned to you", "Asignado a ti")
        winners = [i for i, text in enumerate(texts) if text.startswith(won)]
        self.assertEqual(len(winners), 1, texts)
        loser = 1 - winners[0]
        winner_first_name = f"Técnico{winners[0]}"
        self.assertIn(winner_first_name, texts[loser])
        self.assertTrue(texts[loser].startswith(("Already taken by", "Ya fue tomado por")), texts)

        def check(env):
            t = ticket(env)
            return t.user_id.id, t.itims_state, bool(t.first_response_date)

        user_id, state, responded = self._in_transaction(check)
        self.assertEqual(user_id, self.ids["users"][winners[0]])
        self.assertEqual((state, responded), ("in_progress", True))

    def test_killed_sender_loses_nothing(self):
        """A sender holding a row dies before Telegram answered: the row stays
        queued, another sender skips it while it is held, then sends it once."""

        def queued(env):
            return (
                env["itims.telegram.message"]
                .search([("ticket_id", "=", self.ids["ticket"]), ("state", "=", "queued")])
                .ids
            )

        message_ids = self._in_transaction(queued)
        self.assertEqual(len(message_ids), 2)
        with self.registry.cursor() as dying:
            env = api.Environment(dying, SUPERUSER_ID, {})
            held = env["itims.telegram.message"]._itims_claim()
            self.assertIn(held.id, message_ids)
            held.state = "sending"
            env.flush_all()

            # another worker meanwhile: it skips the held row and sends the other one
            def other_worker(env):
                Message = env["itims.telegram.message"]
                claimed = Message._itims_claim()
                self.assertTrue(claimed)
                self.assertNotEqual(claimed.id, held.id)
                claimed._itims_send(Message._itims_bot_api())
                self.assertFalse(Message._itims_claim(), "the held row is skipped")

            self._in_transaction(other_worker)
            dying.rollback()  # killed: its transaction never commits

        def drain(env):
            Message = env["itims.telegram.message"]
            Message._itims_send_pending(budget=10, commit=env.cr.commit)
            return Message.browse(message_ids).mapped("state")

        self.assertEqual(self._in_transaction(drain), ["sent", "sent"])
        chats = sorted(p["chat_id"] for p in self.fake.calls("sendMessage", "ok"))
        self.assertEqual(chats, sorted(self.chats), "each message sent exactly once")
