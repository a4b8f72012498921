"""Rate limits under real parallel requests (issue 13 item 1).

HttpCase serializes every request behind the test cursor, so it cannot show
what parallel requests do. These tests run outside test mode: fixtures are
committed through real connections (``registry.cursor()``), and the requests go
to the real HTTP server that ``--odoo-http`` starts in this process, each served
in its own thread with its own connection and transaction, exactly as in
production. Everything committed is deleted again in a cleanup.
"""

import re
import threading
import time
import uuid
from types import SimpleNamespace
from unittest.mock import patch

import requests

import odoo.service.model
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RealConnectionCase

LIMIT = 10
WINDOW = 600


@tagged("post_install", "-at_install")
class TestRateLimitConcurrency(RealConnectionCase):
    def setUp(self):
        super().setUp()
        self.tag = uuid.uuid4().hex[:10]
        self.national_id = str(70000000 + int(self.tag, 16) % 9999999)
        self.addCleanup(self._cleanup)
        self.ids = self._in_transaction(self._create_fixtures)
        # start well inside a window: a window boundary in the middle of the flood
        # would legitimately let a second batch through
        if time.time() % WINDOW > WINDOW - 30:
            time.sleep(WINDOW - time.time() % WINDOW + 1)

    # ------------------------------------------------------------------ helpers

    def _create_fixtures(self, env):
        ids = self._intake_fixtures(env, f"Flood {self.tag}", self.national_id, f"{LIMIT}/{WINDOW}")
        self._clear_counters(env)
        return ids

    def _clear_counters(self, env):
        env.cr.execute(
            "DELETE FROM itims_rate_limit WHERE scope = 'submit' AND client = '127.0.0.1'"
        )

    def _cleanup(self):
        def delete(env):
            env.cr.execute("DROP TRIGGER IF EXISTS itims_test_flood_fail ON helpdesk_ticket")
            env.cr.execute("DROP FUNCTION IF EXISTS itims_test_flood_fail()")
            ids = getattr(self, "ids", None)
            if not ids:
                return
            self._delete_intake_fixtures(env, ids)
            self._clear_counters(env)

        self._in_transaction(delete)

    def _state(self, env):
        tickets = env["helpdesk.ticket"].search([("team_id", "=", self.ids["team"])])
        env.cr.execute(
            "SELECT sum(count) FROM itims_rate_limit"
            " WHERE scope = 'submit' AND client = '127.0.0.1'"
        )
        return len(tickets), env.cr.fetchone()[0] or 0

    def _session(self):
        """A visitor's browser: a session and the CSRF token of the form."""
        session = requests.Session()
        page = session.get(f"{self.base_url}/soporte", timeout=60)
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return session, csrf

    def _form(self, csrf, title):
        return {
            "csrf_token": csrf,
            "national_id": self.national_id,
            "category_id": str(self.ids["category"]),
            "title": title,
            "description": "Un envío entre muchos, todos a la vez, desde el mismo cliente.",
        }

    # ------------------------------------------------------------------ tests

    def test_parallel_flood_creates_at_most_the_limit(self):
        clients = 2 * LIMIT
        browsers = [self._session() for _i in range(clients)]
        barrier = threading.Barrier(clients)
        statuses = [None] * clients

        def submit(index):
            session, csrf = browsers[index]
            barrier.wait(timeout=60)
            try:
                response = session.post(
                    f"{self.base_url}/soporte/enviar",
                    data=self._form(csrf, f"Flood {self.tag} {index}"),
                    timeout=120,
                )
                statuses[index] = response.status_code
            except requests.RequestException as error:
                statuses[index] = error

        threads = [threading.Thread(target=submit, args=(i,), daemon=True) for i in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
            self.assertFalse(thread.is_alive(), "a request hung")
        tickets, counted = self._in_transaction(self._state)
        self.assertEqual(sorted(statuses, key=str), sorted([200] * LIMIT + [429] * LIMIT))
        self.assertEqual(tickets, LIMIT, "exactly the limit got through, no more")
        self.assertEqual(counted, clients, "every attempt was counted")

    def test_attempt_counted_when_the_request_fails(self):
        """A request whose every try fails, its transaction rolled back each time,
        still counts once: the counter commits on a cursor of its own at once."""

        def fail_inserts(env):
            env.cr.execute(
                f"""
                CREATE FUNCTION itims_test_flood_fail() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.name LIKE 'Fail {self.tag}%' THEN
                        RAISE EXCEPTION 'injected failure' USING ERRCODE = '40001';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER itims_test_flood_fail BEFORE INSERT ON helpdesk_ticket
                    FOR EACH ROW EXECUTE FUNCTION itims_test_flood_fail();
                """
            )

        self._in_transaction(fail_inserts)
        session, csrf = self._session()
        # no random back-off between Odoo's five tries (up to 30 s): not the point
        no_wait = SimpleNamespace(sleep=lambda seconds: None)
        with (
            mute_logger("odoo.http", "odoo.service.model", "odoo.sql_db"),
            patch.object(odoo.service.model, "time", no_wait),
        ):
            response = session.post(
                f"{self.base_url}/soporte/enviar",
                data=self._form(csrf, f"Fail {self.tag}"),
                timeout=120,
            )
        self.assertGreaterEqual(response.status_code, 500)
        self.assertNotIn("Traceback", response.text)
        tickets, counted = self._in_transaction(self._state)
        self.assertEqual((tickets, counted), (0, 1))
        # the next attempt counts on top of it
        response = session.post(
            f"{self.base_url}/soporte/enviar",
            data=self._form(csrf, f"Flood {self.tag} after"),
            timeout=120,
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._in_transaction(self._state), (1, 2))
