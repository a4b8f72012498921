"""helpdesk_mgmt's own routes and the chatter under ITIMS's rules (issue 13,
item 3; issue 18, item 1 for the Monitor's chatter and activities)."""

import base64
import json
import re
from urllib.parse import parse_qs, urlsplit

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ItimsCommon

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
CSRF_RE = re.compile(r'(?:name="csrf_token" value="|csrf_token: ")([0-9a-f]+o[0-9]*)"')


class PortalRoutesCommon(ItimsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.technician.write(
            {
                "name": "Rosa Elvira Huamán Soto",
                "email": "rosa.huaman@itims-test.example",
                "phone": "+51 999 111 222",
            }
        )
        cls.portal_user = new_test_user(
            cls.env, login="itims_portal", groups="base.group_portal", name="Luis Portal"
        )
        cls.ticket = cls._ticket(
            user_id=cls.technician.id,
            stage_id=cls.stage_in_progress.id,
            partner_id=cls.portal_user.partner_id.id,
            resolution_notes="Se revisó el cable de red.",
        )
        cls.ticket._portal_ensure_token()
        cls.ticket_other_team = cls._ticket(team=cls.team_2, resolution_notes="Revisado.")
        Attachment = cls.env["ir.attachment"]
        # the requester's evidence, as the public intake stores it (public user)
        public = cls.env.ref("base.public_user")
        cls.evidence = (
            Attachment.with_user(public)
            .sudo()
            .create(
                {
                    "name": "evidencia.png",
                    "raw": PNG,
                    "res_model": "helpdesk.ticket",
                    "res_id": cls.ticket.id,
                }
            )
        )
        # the desk's own file on the ticket
        cls.internal = Attachment.with_user(cls.technician).create(
            {
                "name": "config-router-interna.txt",
                "raw": b"admin password: hunter2",
                "res_model": "helpdesk.ticket",
                "res_id": cls.ticket.id,
            }
        )


@tagged("post_install", "-at_install")
class TestHelpdeskMgmtRoutes(HttpCase, PortalRoutesCommon):
    def _csrf(self):
        html = self.url_open("/my").text
        match = CSRF_RE.search(html)
        self.assertTrue(match, "no CSRF token on the page")
        return match.group(1)

    def _ticket_count(self):
        return self.env["helpdesk.ticket"].with_context(active_test=False).search_count([])

    def _close(self, ticket, stage, notes="", csrf=True):
        data = {"ticket_id": ticket.id, "stage_id": stage.id, "resolution_notes": notes}
        if csrf:
            data["csrf_token"] = self._csrf()
        return self.url_open("/ticket/close", data=data, allow_redirects=False)

    def _assert_still_open(self, ticket, notes):
        ticket.invalidate_recordset()
        self.assertEqual(ticket.stage_id, self.stage_in_progress)
        self.assertEqual(ticket.resolution_notes, notes)
        self.assertFalse(ticket.closed_date)

    # ------------------------------------------------------------------ /ticket/close
    def test_close_by_get_is_refused(self):
        self.authenticate("itims_tech", "itims_tech")
        url = f"/ticket/close?ticket_id={self.ticket.id}&stage_id={self.stage_resolved.id}"
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, 405)
        self._assert_still_open(self.ticket, "Se revisó el cable de red.")

    @mute_logger("odoo.http")
    def test_close_without_csrf_is_refused(self):
        self.authenticate("itims_tech", "itims_tech")
        self._csrf()
        response = self._close(self.ticket, self.stage_resolved, "Cambio de cable.", csrf=False)
        self.assertEqual(response.status_code, 400)
        self._assert_still_open(self.ticket, "Se revisó el cable de red.")

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_monitor_cannot_close(self):
        self.authenticate("itims_monitor", "itims_monitor")
        response = self._close(self.ticket, self.stage_resolved, "Cerrado por el monitor.")
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("Traceback", response.text)
        self._assert_still_open(self.ticket, "Se revisó el cable de red.")

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_technician_cannot_close_other_teams_ticket(self):
        self.ticket_other_team.write({"stage_id": self.stage_in_progress.id})
        self.authenticate("itims_tech", "itims_tech")
        response = self._close(self.ticket_other_team, self.stage_cancelled, "Fuera de mi equipo.")
        self.assertEqual(response.status_code, 403)
        self.ticket_other_team.invalidate_recordset()
        self.assertEqual(self.ticket_other_team.itims_state, "in_progress")
        self.assertEqual(self.ticket_other_team.resolution_notes, "Revisado.")

    @mute_logger("odoo.http")
    def test_portal_user_cannot_close_own_ticket(self):
        self.authenticate("itims_portal", "itims_portal")
        response = self._close(self.ticket, self.stage_resolved, "Ya funciona.")
        self.assertEqual(response.status_code, 403)
        self._assert_still_open(self.ticket, "Se revisó el cable de red.")

    @mute_logger("odoo.http")
    def test_close_goes_through_resolution_notes_rule(self):
        self.ticket.write({"resolution_notes": False})
        self.authenticate("itims_tech", "itims_tech")
        response = self._close(self.ticket, self.stage_resolved, "   ")
        self.assertEqual(response.status_code, 400)
        self.assertNotIn("Traceback", response.text)
        self._assert_still_open(self.ticket, False)
        # a stage that does not close is not a way to move the ticket either
        response = self._close(self.ticket, self.stage_registered, "Vuelve a la cola.")
        self.assertEqual(response.status_code, 400)
        self._assert_still_open(self.ticket, False)

    def test_technician_closes_with_notes(self):
        self.authenticate("itims_tech", "itims_tech")
        response = self._close(self.ticket, self.stage_resolved, "Se cambió el cable de red.")
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(f"/my/ticket/{self.ticket.id}"))
        self.ticket.invalidate_recordset()
        self.assertEqual(self.ticket.itims_state, "resolved")
        self.assertEqual(self.ticket.resolution_notes, "Se cambió el cable de red.")
        self.assertTrue(self.ticket.closed_date)

    # ------------------------------------------------------------------ creation
    def test_new_ticket_form_goes_to_intake(self):
        self.authenticate("itims_employee", "itims_employee")
        for url in ("/new/ticket", "/submitted/ticket"):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 303, url)
            self.assertEqual(urlsplit(response.headers["Location"]).path, "/soporte", url)

    def test_submitted_ticket_stores_nothing(self):
        self.authenticate("itims_employee", "itims_employee")
        before = self._ticket_count()
        attachments = self.env["ir.attachment"].search_count([])
        response = self.url_open(
            "/submitted/ticket",
            data={
                "csrf_token": self._csrf(),
                "subject": "Ticket por la puerta de atrás",
                "description": "Creado sin validación",
                "team": self.team.id,
                "attachment": "1",
            },
            files={"attachment": ("bypass.png", PNG, "image/png")},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(urlsplit(response.headers["Location"]).path, "/soporte")
        self.assertEqual(self._ticket_count(), before)
        self.assertFalse(
            self.env["helpdesk.ticket"].search([("name", "=", "Ticket por la puerta de atrás")])
        )
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments)
        self.assertFalse(self.env["ir.attachment"].search([("name", "=", "bypass.png")]))

    def test_portal_new_button_points_to_intake(self):
        self.authenticate("itims_portal", "itims_portal")
        html = self.url_open("/my/tickets").text
        self.assertNotIn('action="/new/ticket"', html)
        self.assertIn('href="/soporte"', html)

    # ------------------------------------------------------------------ /my/ticket
    def test_token_only_access_goes_to_tracking_page(self):
        url = f"/my/ticket/{self.ticket.id}?access_token={self.ticket.access_token}"
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        location = urlsplit(response.headers["Location"])
        self.assertEqual(location.path, "/soporte/seguimiento")
        self.assertEqual(parse_qs(location.query), {"ticket": [self.ticket.number]})
        # a logged-in user who may not read the ticket is treated the same
        self.authenticate("itims_tech2", "itims_tech2")
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(urlsplit(response.headers["Location"]).path, "/soporte/seguimiento")
        self.assertFalse(self.internal.sudo().access_token)

    def test_wrong_token_learns_nothing(self):
        url = f"/my/ticket/{self.ticket.id}?access_token=not-the-token"
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertNotIn("seguimiento", response.headers["Location"])
        self.assertNotIn(self.ticket.number, response.headers["Location"])

    def test_portal_page_hides_contact_details_and_desk_files(self):
        self.authenticate("itims_portal", "itims_portal")
        response = self.url_open(f"/my/ticket/{self.ticket.id}")
        self.assertEqual(response.status_code, 200)
        html = response.text
        self.assertIn(self.ticket.name, html)
        self.assertIn("Rosa", html)
        for secret in ("Huam", "Elvira", "rosa.huaman@", "999 111 222", "Assignee"):
            self.assertNotIn(secret, html)
        self.assertNotIn('action="/ticket/close"', html)
        self.assertNotIn("o_portal_chatter", html)
        self.assertIn("evidencia.png", html)
        self.assertNotIn("config-router-interna.txt", html)
        self.assertTrue(self.evidence.sudo().access_token)
        self.assertFalse(self.internal.sudo().access_token)

    # ------------------------------------------------------------------ chatter
    def test_monitor_chatter_has_no_write_button(self):
        url = f"/odoo/helpdesk.ticket/{self.ticket.id}"
        self.start_tour(url, "itims_chatter_readonly_tour", login="itims_monitor")
        self.start_tour(url, "itims_chatter_writer_tour", login="itims_tech")

    def _post_message(self, **kwargs):
        payload = {
            "id": 0,
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "thread_model": "helpdesk.ticket",
                "thread_id": self.ticket.id,
                "post_data": {"body": "Mensaje desde fuera", "message_type": "comment"},
                **kwargs,
            },
        }
        return self.url_open(
            "/mail/message/post",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        ).json()

    def _messages(self):
        return self.env["mail.message"].search(
            [("model", "=", "helpdesk.ticket"), ("res_id", "=", self.ticket.id)]
        )

    @mute_logger("odoo.http")
    def test_no_chatter_post_with_token_or_portal_or_monitor(self):
        before = self._messages()
        token = {"token": self.ticket.access_token}
        self.assertIn("error", self._post_message(**token))
        self.authenticate("itims_portal", "itims_portal")
        self.assertIn("error", self._post_message())
        self.assertIn("error", self._post_message(**token))
        self.authenticate("itims_monitor", "itims_monitor")
        self.assertIn("error", self._post_message())
        self.assertEqual(self._messages(), before)
        # the technician still talks to the requester
        self.authenticate("itims_tech", "itims_tech")
        self.assertNotIn("error", self._post_message())
        self.assertEqual(len(self._messages() - before), 1)

    @mute_logger("odoo.http")
    def test_no_attachment_upload_with_token(self):
        before = self.env["ir.attachment"].search_count([])
        for login in (None, "itims_portal", "itims_monitor"):
            if login:
                self.authenticate(login, login)
            response = self.url_open(
                "/mail/attachment/upload",
                data={
                    "thread_model": "helpdesk.ticket",
                    "thread_id": str(self.ticket.id),
                    "token": self.ticket.access_token,
                    "csrf_token": self._csrf(),
                },
                files={"ufile": ("subido.png", PNG, "image/png")},
            )
            self.assertEqual(response.status_code, 404, login)
        self.assertEqual(self.env["ir.attachment"].search_count([]), before)
        self.assertFalse(self.env["ir.attachment"].search([("name", "=", "subido.png")]))


class TestMonitorReadOnly(PortalRoutesCommon):
    """The Monitor reads and writes nothing: chatter, activities, assets."""

    def test_monitor_posts_no_message_or_note(self):
        ticket = self.ticket.with_user(self.monitor)
        before = self.ticket.message_ids
        with self.assertRaises(AccessError):
            ticket.message_post(body="Nota del monitor", message_type="comment")
        with self.assertRaises(AccessError):
            ticket.message_post(
                body="Nota interna", message_type="comment", subtype_xmlid="mail.mt_note"
            )
        # following a ticket (read is enough) does not open the chatter either
        ticket.message_subscribe(partner_ids=self.monitor.partner_id.ids)
        self.assertIn(self.monitor.partner_id, self.ticket.message_partner_ids)
        with self.assertRaises(AccessError):
            ticket.message_post(body="Ahora que lo sigo", message_type="comment")
        self.ticket.invalidate_recordset()
        self.assertEqual(self.ticket.message_ids, before)

    def test_monitor_uploads_no_attachment(self):
        with self.assertRaises(AccessError):
            self.env["ir.attachment"].with_user(self.monitor).create(
                {
                    "name": "monitor.txt",
                    "raw": b"x",
                    "res_model": "helpdesk.ticket",
                    "res_id": self.ticket.id,
                }
            )

    def test_monitor_manages_no_activity(self):
        todo = self.env.ref("mail.mail_activity_data_todo")
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.monitor).activity_schedule(
                activity_type_id=todo.id, summary="Revisar", user_id=self.monitor.id
            )
        # an activity a technician gave the Monitor stays open
        activity = self.ticket.with_user(self.technician).activity_schedule(
            activity_type_id=todo.id, summary="Revisar informe", user_id=self.monitor.id
        )
        with self.assertRaises(AccessError):
            activity.with_user(self.monitor).action_feedback(feedback="Hecho")
        with self.assertRaises(AccessError):
            activity.with_user(self.monitor).write({"summary": "Cambiado"})
        self.assertTrue(activity.exists())
        self.assertEqual(activity.summary, "Revisar informe")
        # the technician works as before
        activity.with_user(self.technician).action_feedback(feedback="Hecho")
        self.assertFalse(activity.exists())

    def test_monitor_changes_no_maintenance_request_or_asset(self):
        Request = self.env["maintenance.request"]
        with self.assertRaises(AccessError):
            Request.with_user(self.monitor).create({"name": "Reparar impresora"})
        own = Request.create({"name": "Revisión", "owner_user_id": self.monitor.id})
        own.message_subscribe(partner_ids=self.monitor.partner_id.ids)
        with self.assertRaises(AccessError):
            own.with_user(self.monitor).write({"name": "Reparado por el monitor"})
        with self.assertRaises(AccessError):
            own.with_user(self.monitor).message_post(body="Hecho", message_type="comment")
        with self.assertRaises(AccessError):
            own.with_user(self.monitor).unlink()
        self.assertEqual(own.name, "Revisión")
        Equipment = self.env["maintenance.equipment"]
        with self.assertRaises(AccessError):
            Equipment.with_user(self.monitor).create({"name": "PC del monitor"})
        # the rules are for the Monitor only: a technician still works requests
        assigned = Request.create({"name": "Cambiar tóner", "user_id": self.technician.id})
        assigned.with_user(self.technician).write({"name": "Tóner cambiado"})
        self.assertEqual(assigned.name, "Tóner cambiado")

    def test_technician_still_posts_and_schedules(self):
        ticket = self.ticket.with_user(self.technician)
        message = ticket.message_post(body="Voy en camino", message_type="comment")
        self.assertEqual(message.author_id, self.technician.partner_id)
        activity = ticket.activity_schedule(
            "mail.mail_activity_data_todo", summary="Volver mañana", user_id=self.technician.id
        )
        self.assertTrue(activity)

    def test_portal_user_posts_nothing_on_own_ticket(self):
        ticket = self.ticket.with_user(self.portal_user)
        self.assertEqual(ticket.name, self.ticket.name)  # reads it
        with self.assertRaises(AccessError):
            ticket.message_post(body="Desde el portal", message_type="comment")
        # the portal token opens nothing: the rules decide, as for anyone
        token = self.ticket.access_token
        Ticket = self.env["helpdesk.ticket"].with_user(self.portal_user)
        self.assertEqual(Ticket._get_thread_with_access(self.ticket.id, "read"), ticket)
        self.assertFalse(Ticket._get_thread_with_access(self.ticket.id, "write", token=token))
        Public = self.env["helpdesk.ticket"].with_user(self.env.ref("base.public_user"))
        self.assertFalse(Public._get_thread_with_access(self.ticket.id, "read", token=token))
        self.assertFalse(Public._get_thread_with_access(self.ticket.id, "write", token=token))

    def test_itims_stages_do_not_close_from_portal(self):
        stages = self.env["helpdesk.ticket.stage"].with_context(active_test=False).search([])
        self.assertFalse(stages.filtered("close_from_portal"))
        # what an existing database gets on update (its stages are noupdate)
        self.stage_resolved.close_from_portal = True
        self.env["helpdesk.ticket.stage"]._itims_disable_portal_closing()
        self.assertFalse(self.stage_resolved.close_from_portal)
