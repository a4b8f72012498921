"""Each demo role tried as it logs in, at desk (1366 px) and phone (390 px) widths,
in Spanish. With ITIMS_SCREENSHOTS=<dir> set, each tour leaves a screenshot of its
last screen there (scripts/screenshots.sh regenerates the README's images so)."""

import base64
import contextlib
import os
from pathlib import Path
from unittest.mock import patch

from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tests.common import ChromeBrowser

from .common import activate_spanish


@contextlib.contextmanager
def screenshot_as(name):
    """Save the browser's last screen as ``<ITIMS_SCREENSHOTS>/<name>.png``."""
    target = os.environ.get("ITIMS_SCREENSHOTS")
    if not target:
        yield
        return
    stop = ChromeBrowser.stop

    def stop_after_screenshot(browser):
        shot = browser._websocket_send("Page.captureScreenshot", with_future=True)
        Path(target, f"{name}.png").write_bytes(base64.b64decode(shot.result(timeout=20)["data"]))
        return stop(browser)

    with patch.object(ChromeBrowser, "stop", stop_after_screenshot):
        yield


class RolesCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_spanish(cls.env)
        cls.technician = cls.env.ref("helpdesk_itims.res_users_tecnico1_demo")
        cls.manager = cls.env.ref("helpdesk_itims.res_users_jefesoporte_demo")
        cls.monitor = cls.env.ref("helpdesk_itims.res_users_monitorti_demo")
        (cls.technician | cls.manager | cls.monitor).lang = "es_ES"
        # the queue's oldest ticket waits for two days and a half
        queue = cls.env["helpdesk.ticket"].search(
            [("user_id", "=", False), ("itims_state", "=", "registered")],
            order="create_date, id",
        )
        if not queue:
            raise AssertionError("the demo has tickets waiting in the queue")
        cls.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = now() at time zone 'UTC' - "
            "interval '60 hours' WHERE id = %s",
            [queue[0].id],
        )
        cls.oldest = queue[0]
        cls.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestRolesDesk(RolesCase):
    def test_technician_takes_the_oldest(self):
        with screenshot_as("backend_ticket"):
            self.start_tour("/odoo", "itims_role_technician_tour", login="tecnico1")
        self.assertEqual(self.oldest.user_id, self.technician)
        self.assertEqual(self.oldest.itims_state, "in_progress")

    def test_manager_manages_from_the_board(self):
        with screenshot_as("backend_workload"):
            self.start_tour("/odoo", "itims_role_manager_board_tour", login="jefesoporte")
        self.start_tour("/odoo", "itims_role_manager_tour", login="jefesoporte")
        milagros = self.env.ref("helpdesk_itims.res_users_tecnico2_demo")
        edwin = self.env.ref("helpdesk_itims.res_users_tecnico3_demo")
        self.assertFalse(milagros.itims_on_duty)
        self.assertEqual(edwin.itims_max_active_tickets, 6)
        team = self.env.ref("helpdesk_itims.helpdesk_ticket_team_soporte_ti_demo")
        self.assertEqual(team.itims_assignment_method, "round_robin")

    def test_manager_workload_rights_stop_at_the_workload(self):
        """The board's rights are the cap and the duty of their technicians: not a
        user's login, groups or password, nor anybody else's settings."""
        edwin = self.env.ref("helpdesk_itims.res_users_tecnico3_demo").with_user(self.manager)
        edwin.write({"itims_max_active_tickets": 5, "itims_on_duty": False})
        for vals in (
            {"login": "edwin2"},
            {"groups_id": [(4, self.env.ref("base.group_system").id)]},
            {"password": "x"},
            {"itims_max_active_tickets": 4, "name": "Otro"},
        ):
            with (
                self.subTest(vals=list(vals)),
                self.assertRaises(AccessError),
                self.env.cr.savepoint(),
            ):
                edwin.write(vals)
        not_a_technician = self.env.ref("base.user_demo").with_user(self.manager)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            not_a_technician.write({"itims_max_active_tickets": 1})

    def test_take_lost_race(self):
        """Another technician takes the ticket between the list's load and the
        click: the engine refuses, the screen warns and refreshes."""
        rival = self.env.ref("helpdesk_itims.res_users_tecnico2_demo")
        Assignment = type(self.env["itims.assignment"])
        take = Assignment._take

        def rival_first(model, ticket, user):
            if not ticket.user_id and user != rival:
                take(model, ticket, rival)
            return take(model, ticket, user)

        with patch.object(Assignment, "_take", rival_first):
            self.start_tour("/odoo/itims-queue", "itims_role_take_lost_race_tour", login="tecnico1")
        self.assertEqual(self.oldest.user_id, rival)

    def test_technician_queue(self):
        with screenshot_as("backend_queue"):
            self.start_tour("/odoo/itims-queue", "itims_role_queue_desk_tour", login="tecnico1")

    def test_monitor_reads_only(self):
        with screenshot_as("backend_monitor_ticket"):
            self.start_tour("/odoo", "itims_role_monitor_tour", login="monitor.ti")

    def test_monitor_writes_are_refused_over_rpc(self):
        ticket = self.env["helpdesk.ticket"].search([("itims_state", "=", "in_progress")], limit=1)
        as_monitor = ticket.with_user(self.monitor)
        self.assertTrue(as_monitor.name, "the monitor reads it")
        refusals = {
            "write": (AccessError, lambda: as_monitor.write({"priority": "3"})),
            "take": (UserError, as_monitor.action_take),
            "close": (AccessError, lambda: as_monitor._itims_close("resolved", "Por el monitor")),
            "post": (AccessError, lambda: as_monitor.message_post(body="Nota")),
            "activity": (
                AccessError,
                lambda: as_monitor.activity_schedule("mail.mail_activity_data_todo"),
            ),
            "maintenance": (
                AccessError,
                lambda: (
                    self.env["maintenance.request"]
                    .with_user(self.monitor)
                    .create({"name": "Solicitud del monitor"})
                ),
            ),
        }
        for name, (error, write) in refusals.items():
            with self.subTest(name), self.assertRaises(error), self.env.cr.savepoint():
                write()
                self.env.flush_all()
        self.assertEqual(ticket.itims_state, "in_progress")


@tagged("post_install", "-at_install")
class TestRolesPhone(RolesCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_technician_on_the_phone(self):
        with screenshot_as("phone_ticket"):
            self.start_tour("/odoo", "itims_role_technician_phone_tour", login="tecnico1")

    def test_queue_on_the_phone(self):
        with screenshot_as("phone_queue"):
            self.start_tour("/odoo/itims-queue", "itims_role_queue_phone_tour", login="tecnico1")

    def test_technician_resolves_on_the_phone(self):
        self.start_tour("/odoo", "itims_role_technician_phone_resolve_tour", login="tecnico1")
        resolved = self.env["helpdesk.ticket"].search(
            [("resolution_notes", "ilike", "cable de red en el puesto 42")]
        )
        self.assertEqual(len(resolved), 1)
        self.assertEqual(resolved.itims_state, "resolved")
        self.assertEqual(resolved.user_id, self.technician)

    def test_manager_on_the_phone(self):
        with screenshot_as("phone_workload"):
            self.start_tour("/odoo", "itims_role_manager_phone_tour", login="jefesoporte")
        self.assertFalse(self.env.ref("helpdesk_itims.res_users_tecnico2_demo").itims_on_duty)

    def test_monitor_on_the_phone(self):
        with screenshot_as("phone_monitor_ticket"):
            self.start_tour("/odoo", "itims_role_monitor_phone_tour", login="monitor.ti")


@tagged("post_install", "-at_install")
class TestTicketViews(TransactionCase):
    def _arch(self, view_type, user):
        views = self.env["helpdesk.ticket"].with_user(user).get_views([(False, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def test_dates_in_one_format_per_column(self):
        arch = self._arch("list", self.env.ref("helpdesk_itims.res_users_tecnico1_demo"))
        for fname in ("create_date", "last_stage_update"):
            self.assertEqual(arch.xpath(f"//field[@name='{fname}']")[0].get("widget"), "date")

    def test_no_activity_widget_for_the_monitor(self):
        monitor = self.env.ref("helpdesk_itims.res_users_monitorti_demo")
        technician = self.env.ref("helpdesk_itims.res_users_tecnico1_demo")
        for view_type in ("list", "kanban"):
            with self.subTest(view_type):
                self.assertFalse(
                    self._arch(view_type, monitor).xpath("//field[@name='activity_ids']")
                )
                self.assertTrue(
                    self._arch(view_type, technician).xpath("//field[@name='activity_ids']")
                )
