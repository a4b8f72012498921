"""Fault drills (issue 17 item 2): the PostgreSQL connection of a public
submission dropped while the ticket and its attachment are being written.

Outside test mode (see ``RealConnectionCase``): the submission goes to the real
HTTP server in its own connection. A PostgreSQL trigger on ``ir_attachment``
holds that connection in ``pg_sleep`` once the ticket row and the attachment's
file are written; this test then kills the connection's backend with
``pg_terminate_backend``, as a database restart, a failover or a network cut
would. The visitor gets a clear error page without a traceback; no ticket, no
attachment row and no file in the file store are left behind.
"""

import hashlib
import os
import re
import threading
import time
import uuid

import requests

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RealConnectionCase
from .test_website_uploads import multipart, png_chunk, png_claiming

SLEEP = 20  # the trigger's hold; the test kills the connection long before


@tagged("post_install", "-at_install")
class TestSubmissionConnectionDropped(RealConnectionCase):
    def setUp(self):
        super().setUp()
        self.tag = uuid.uuid4().hex[:10]
        self.national_id = str(60000000 + int(self.tag, 16) % 9999999)
        # a PNG of its own: its file name in the file store is its SHA-1
        png = png_claiming(64, 64)
        self.png = png[:-12] + png_chunk(b"tEXt", b"Comment\x00" + self.tag.encode()) + png[-12:]
        self.addCleanup(self._cleanup)
        self.ids = self._in_transaction(self._create_fixtures)

    def _create_fixtures(self, env):
        ids = self._intake_fixtures(env, f"Drill {self.tag}", self.national_id, "0/600")
        env.cr.execute(
            f"""
            CREATE FUNCTION itims_test_drill_hold() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.name = 'drill-{self.tag}.png' THEN
                    PERFORM pg_sleep({SLEEP});
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER itims_test_drill_hold AFTER INSERT ON ir_attachment
                FOR EACH ROW EXECUTE FUNCTION itims_test_drill_hold();
            """
        )
        return ids

    def _cleanup(self):
        def delete(env):
            env.cr.execute("DROP TRIGGER IF EXISTS itims_test_drill_hold ON ir_attachment")
            env.cr.execute("DROP FUNCTION IF EXISTS itims_test_drill_hold()")
            ids = getattr(self, "ids", None)
            if not ids:
                return
            self._delete_intake_fixtures(env, ids)

        self._in_transaction(delete)

    def _held_backend(self, env):
        env.cr.execute(
            """
            SELECT pid FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()
               AND wait_event = 'PgSleep' AND query ILIKE '%%ir_attachment%%'
            """
        )
        return [row[0] for row in env.cr.fetchall()]

    def _leftovers(self, env):
        tickets = (
            env["helpdesk.ticket"]
            .with_context(active_test=False)
            .search_count([("team_id", "=", self.ids["team"])])
        )
        attachments = env["ir.attachment"].search_count([("name", "=", f"drill-{self.tag}.png")])
        return tickets, attachments

    def test_connection_dropped_while_saving(self):
        session = requests.Session()
        page = session.get(f"{self.base_url}/soporte", timeout=60)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        fields = {
            "csrf_token": csrf,
            "national_id": self.national_id,
            "category_id": str(self.ids["category"]),
            "title": f"Drill {self.tag}",
            "description": "La conexión con la base de datos se cae mientras se guarda.",
        }
        body, headers = multipart(
            [(key.encode(), None, value.encode()) for key, value in fields.items()]
            + [(b"attachments", f"drill-{self.tag}.png".encode(), self.png)]
        )
        sha = hashlib.sha1(self.png).hexdigest()
        stored = self._in_transaction(
            lambda env: env["ir.attachment"]._full_path(sha[:2] + "/" + sha)
        )
        self.assertFalse(os.path.exists(stored))
        answer = {}

        def submit():
            answer["response"] = session.post(
                f"{self.base_url}/soporte/enviar", data=body, headers=headers, timeout=120
            )

        thread = threading.Thread(target=submit, daemon=True)
        with mute_logger(
            "odoo.http", "odoo.sql_db", "odoo.addons.helpdesk_itims.controllers.intake"
        ):
            thread.start()
            deadline = time.monotonic() + SLEEP - 5
            held = []
            while not held and time.monotonic() < deadline:
                time.sleep(0.1)
                held = self._in_transaction(self._held_backend)
            self.assertEqual(len(held), 1, "the submission never reached the attachment")
            # the ticket row and the file are written, the transaction is open
            self.assertTrue(os.path.exists(stored), "the file is in the file store")
            self.assertEqual(self._in_transaction(self._leftovers), (0, 0), "nothing committed")
            killed = self._in_transaction(
                lambda env: (
                    env.cr.execute("SELECT pg_terminate_backend(%s)", held) or env.cr.fetchone()[0]
                )
            )
            self.assertTrue(killed)
            thread.join(timeout=60)
        self.assertFalse(thread.is_alive(), "the request hung")
        response = answer["response"]
        self.assertEqual(response.status_code, 503, response.text[:500])
        for trace in ("Traceback", 'File "/', "psycopg2", "terminating connection"):
            self.assertNotIn(trace, response.text)
        self.assertTrue(
            any(
                text in response.text
                for text in ("Nothing was recorded: please try", "No se registró nada")
            ),
            response.text[:500],
        )
        self.assertEqual(self._in_transaction(self._leftovers), (0, 0), "no half ticket")
        self.assertFalse(os.path.exists(stored), "no orphan file in the file store")
        # the server is fine afterwards: the same submission goes through
        self._in_transaction(
            lambda env: env.cr.execute("DROP TRIGGER itims_test_drill_hold ON ir_attachment")
        )
        page = session.get(f"{self.base_url}/soporte", timeout=60)
        fields["csrf_token"] = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        body, headers = multipart(
            [(key.encode(), None, value.encode()) for key, value in fields.items()]
            + [(b"attachments", f"drill-{self.tag}.png".encode(), self.png)]
        )
        response = session.post(
            f"{self.base_url}/soporte/enviar", data=body, headers=headers, timeout=120
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._in_transaction(self._leftovers), (1, 1))
        self.assertTrue(os.path.exists(stored))
