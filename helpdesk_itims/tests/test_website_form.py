"""Tickets from forms built in the website editor (issue 13 item 8): the form
builder's route /website/form/helpdesk.ticket runs the intake's validation,
rate limit and file checks; a tour builds such a form in the editor."""

import json

from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_website_intake import ItimsWebsiteCase
from .test_website_uploads import multipart, png_claiming, unique_png

FORM_URL = "/website/form/helpdesk.ticket"


@tagged("post_install", "-at_install")
class TestWebsiteFormTickets(ItimsWebsiteCase):
    def _form_data(self, **overrides):
        data = {
            "requester_national_id": self.employee.identification_id,
            "category_id": str(self.category.id),
            "name": "El proyector no enciende",
            "description": "El proyector de la sala de reuniones no enciende desde ayer.",
            "requester_phone": "+51 987 654 321",
        }
        data.update(overrides)
        return data

    def _post(self, data, files=None):
        response = self.url_open(FORM_URL, data=data, files=files)
        self.assertEqual(response.status_code, 200, response.text[:500])
        return json.loads(response.text)

    def _ticket_count(self):
        return self.env["helpdesk.ticket"].search_count([])

    def test_model_offered_to_the_editor(self):
        model = self.env["ir.model"]._get("helpdesk.ticket")
        self.assertTrue(model.website_form_access)
        self.assertEqual(model.website_form_key, "itims_create_ticket")
        fields = model.with_user(self.env.ref("base.user_root"))._get_form_writable_fields()
        self.assertEqual(
            set(fields),
            {
                "requester_national_id",
                "name",
                "description",
                "category_id",
                "requester_phone",
                "partner_email",
            },
        )

    def test_valid_submission_is_an_intake_ticket(self):
        result = self._post(self._form_data())
        ticket = self.env["helpdesk.ticket"].browse(result["id"])
        self.assertEqual(ticket.name, "El proyector no enciende")
        self.assertEqual(ticket.requester_id, self.employee)
        self.assertEqual(ticket.office_id, self.office)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.category_id, self.category)
        self.assertEqual(ticket.requester_phone, "+51 987 654 321")
        self.assertEqual(
            ticket.channel_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web")
        )
        self.assertTrue(ticket.number)
        # the success page shows the number and the tracking link, as /soporte does
        page = self.url_open("/soporte/enviado")
        self.assertEqual(page.status_code, 200)
        self.assertIn(ticket.number, page.text)
        self.assertIn('id="itims_tracking_link"', page.text)

    def test_success_page_without_a_submission(self):
        response = self.url_open("/soporte/enviado", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/soporte"))

    def test_fields_outside_the_whitelist_are_ignored(self):
        other_user = self.env.ref("base.user_admin")
        done = self.env["helpdesk.ticket.stage"].search([("itims_state", "=", "resolved")], limit=1)
        result = self._post(
            self._form_data(
                user_id=str(other_user.id),
                stage_id=str(done.id),
                priority="3",
                company_id="999",
                team_id="999",
                equipment_id=str(self.equipment_foreign.id),
                resolution_notes="cerrado por el visitante",
            )
        )
        ticket = self.env["helpdesk.ticket"].browse(result["id"])
        self.assertEqual(ticket.itims_state, "registered")
        self.assertNotEqual(ticket.user_id, other_user)
        self.assertNotEqual(ticket.priority, "3")
        self.assertEqual(ticket.company_id, self.company)
        self.assertFalse(ticket.equipment_id)
        self.assertFalse(ticket.resolution_notes)

    def test_malformed_submissions_refused(self):
        before = self._ticket_count()
        cases = {
            "unknown national ID": (
                {"requester_national_id": "00000000"},
                ["requester_national_id"],
            ),
            "full-width digits": (
                {"requester_national_id": "１２３４５６７８"},
                ["requester_national_id"],
            ),
            "no description": ({"description": ""}, ["description"]),
            "short description": ({"description": "no va"}, ["description"]),
            "huge title": ({"name": "x" * 70000}, ["name"]),
            "hidden category": ({"category_id": str(self.category_hidden.id)}, ["category_id"]),
            "category not a number": ({"category_id": "1 OR 1=1"}, ["category_id"]),
            "bad e-mail": ({"partner_email": "no-es-un-correo"}, ["partner_email"]),
            "bad phone": ({"requester_phone": "<script>"}, ["requester_phone"]),
        }
        for label, (overrides, fields) in cases.items():
            with self.subTest(label):
                result = self._post(self._form_data(**overrides))
                self.assertNotIn("id", result)
                self.assertTrue(result["error"])
                self.assertEqual(result["error_fields"], fields)
        self.assertEqual(self._ticket_count(), before)

    def test_files_checked_as_on_the_intake(self):
        before = self._ticket_count()
        attachments_before = self.env["ir.attachment"].search_count([])
        bomb = png_claiming(20000, 10000)
        result = self._post(self._form_data(), files={"Foto[0][0]": ("captura.png", bomb)})
        self.assertRegex(result["error"], "megap[ií]xel")
        result = self._post(
            self._form_data(), files={"Foto[0][0]": ("virus.exe", b"MZ\x90\x00" + b"\x00" * 64)}
        )
        self.assertIn("PDF", result["error"])
        self.assertEqual(self._ticket_count(), before)
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments_before)
        # a NUL in a file's name: the name is cleaned, the extension is the content's
        body, headers = multipart(
            [(key.encode(), None, value.encode()) for key, value in self._form_data().items()]
            + [(b"Foto[0][0]", b"evid\x00encia.hta", unique_png())]
        )
        response = self.url_open(FORM_URL, data=body, headers=headers)
        ticket = self.env["helpdesk.ticket"].browse(json.loads(response.text)["id"])
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(attachment.mapped("name"), ["evidencia.png"])

    def test_rate_limited_with_the_intake(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "helpdesk_itims.rate_limit_submit", "2/600"
        )
        before = self._ticket_count()
        self._post(self._form_data())
        # one limit for both doors: the form's submissions count with /soporte's
        response = self._submit(self._valid_data())
        self.assertEqual(response.status_code, 200)
        result = self._post(self._form_data())
        self.assertNotIn("id", result)
        self.assertTrue(result["error"])
        self.assertFalse(result.get("error_fields"), "refused as a whole, not for a field")
        self.assertEqual(self._ticket_count(), before + 2)

    def test_other_models_keep_odoo_handling(self):
        # mail.mail stays Odoo's (the contact form); only tickets are ours
        with mute_logger("odoo.http"):
            response = self.url_open(
                "/website/form/res.partner", data={"name": "Intruso", "email": "x@example.com"}
            )
        self.assertIn("error", json.loads(response.text))
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Intruso")]))


@tagged("post_install", "-at_install")
class TestWebsiteFormEditorTour(ItimsWebsiteCase):
    def test_editor_builds_a_ticket_form(self):
        self.employee.identification_id = "45781236"
        self.start_tour(
            self.env["website"].get_client_action_url("/contactus"),
            "itims_website_form_editor",
            login="admin",
        )
        self.start_tour("/contactus", "itims_website_form_submit")
        tickets = self._tickets(name="Proyector sin señal")
        # the refused attempt left nothing; the accepted one is a full ticket
        self.assertEqual(len(tickets), 1)
        self.assertEqual(tickets.requester_id, self.employee)
        self.assertIn(tickets.itims_state, ("registered", "in_progress"))
        self.assertTrue(tickets.category_id.show_in_portal)
