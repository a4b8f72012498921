import base64
import json
import re
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import QUIET_CONTEXT, activate_spanish

# 1x1 transparent PNG and a minimal PDF: real content, checked by content type
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


class ItimsWebsiteCase(HttpCase):
    """Fixtures of the public intake and tracking tests (no demo data used)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **QUIET_CONTEXT))
        cls.website = cls.env.ref("website.default_website")
        cls.company = cls.website.company_id
        cls.company.write(
            {"itims_national_id_regex": r"^\d{8}$", "itims_allow_unknown_requester": False}
        )
        ICP = cls.env["ir.config_parameter"].sudo()
        for key in ("lookup", "submit", "tracking"):
            ICP.set_param(f"helpdesk_itims.rate_limit_{key}", "1000/600")
        # the attempts of other test classes must not count here
        cls.env["itims.rate.limit"].sudo().search([]).unlink()

        Department = cls.env["hr.department"]
        cls.office = Department.create(
            {"name": "Oficina de Logística ITIMS", "company_id": cls.company.id}
        )
        cls.office_other = Department.create(
            {"name": "Mesa de Partes ITIMS", "company_id": cls.company.id}
        )
        Employee = cls.env["hr.employee"]
        cls.employee = Employee.create(
            {
                "name": "María Elena Torres Quispe",
                "identification_id": "99887766",
                "department_id": cls.office.id,
                "work_email": "mtorres@itims-test.example",
                "work_phone": "+51 1 555 0101",
                "company_id": cls.company.id,
            }
        )
        cls.employee_no_email = Employee.create(
            {
                "name": "Pedro Salas",
                "identification_id": "99887755",
                "department_id": cls.office_other.id,
                "company_id": cls.company.id,
            }
        )
        Equipment = cls.env["maintenance.equipment"]
        cls.equipment = Equipment.create(
            {
                "name": "Dell OptiPlex 7090",
                "itims_asset_tag": "ITIMS-T-PC-01",
                "equipment_assign_to": "employee",
                "employee_id": cls.employee.id,
                "company_id": cls.company.id,
            }
        )
        cls.equipment_office = Equipment.create(
            {
                "name": "HP LaserJet M404",
                "itims_asset_tag": "ITIMS-T-PR-01",
                # a shared user-facing device of the office (issue 13 item 5)
                "itims_asset_type": "printer",
                "equipment_assign_to": "department",
                "department_id": cls.office.id,
                "company_id": cls.company.id,
            }
        )
        cls.equipment_retired = Equipment.create(
            {
                "name": "Old CRT monitor",
                "itims_asset_tag": "ITIMS-T-MO-01",
                "equipment_assign_to": "employee",
                "employee_id": cls.employee.id,
                "itims_lifecycle_status": "retired",
                "company_id": cls.company.id,
            }
        )
        cls.equipment_foreign = Equipment.create(
            {
                "name": "Lenovo ThinkPad",
                "itims_asset_tag": "ITIMS-T-LT-01",
                "equipment_assign_to": "employee",
                "employee_id": cls.employee_no_email.id,
                "company_id": cls.company.id,
            }
        )
        Category = cls.env["helpdesk.ticket.category"]
        cls.category = Category.create(
            {"name": "ITIMS Test Hardware", "company_id": cls.company.id}
        )
        cls.category_network = Category.create(
            {"name": "ITIMS Test Red", "company_id": cls.company.id}
        )
        cls.category_hidden = Category.create(
            {"name": "ITIMS Test Hidden", "company_id": cls.company.id, "show_in_portal": False}
        )
        # the teams a ticket may fall back to (demo data) keep their tickets in the
        # queue: these tests are about intake; the engine is tested on its own
        # no members: the ticket stays in the queue whatever assignment runs
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "ITIMS Test Hardware Team",
                "company_id": cls.company.id,
                "category_ids": [(6, 0, cls.category.ids)],
            }
        )
        cls.technician = new_test_user(
            cls.env,
            login="itims_web_tech",
            name="Carlos Alberto Ramos",
            groups="base.group_user,helpdesk_itims.group_itims_technician",
            context=QUIET_CONTEXT,
        )
        cls.registered_stage = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _csrf(self, url="/soporte"):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        match = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
        self.assertTrue(match, "the page carries a CSRF token")
        return match.group(1)

    def _valid_data(self, **overrides):
        data = {
            "national_id": self.employee.identification_id,
            "category_id": str(self.category.id),
            "equipment_id": str(self.equipment.id),
            "title": "La impresora no imprime",
            "description": "Desde esta mañana la impresora de la oficina no imprime nada.",
            "phone": "+51 987 654 321",
            "email": "",
        }
        data.update(overrides)
        return data

    def _submit(self, data, files=None, csrf=True):
        payload = dict(data)
        if csrf:
            payload["csrf_token"] = self._csrf()
        return self.url_open("/soporte/enviar", data=payload, files=files)

    def _tickets(self, **domain):
        return self.env["helpdesk.ticket"].search(
            [(key, "=", value) for key, value in domain.items()]
        )

    @classmethod
    def _new_ticket(cls, **values):
        vals = {
            "name": "Sin acceso a internet",
            "description": "<p>No hay red en la oficina</p>",
            "requester_id": cls.employee.id,
            "category_id": cls.category.id,
            "team_id": cls.team.id,
            "company_id": cls.company.id,
            "stage_id": cls.registered_stage.id,
            # helpdesk_mgmt's auto-assign default would give it to the test user
            "user_id": False,
        }
        vals.update(values)
        ticket = cls.env["helpdesk.ticket"].with_context(itims_skip_assignment=True).create(vals)
        ticket._portal_ensure_token()
        return ticket

    def _confirmation_link(self, response):
        """The tracking link of a confirmation page, and its token."""
        tag = re.search(r'<a[^>]*id="itims_tracking_link"[^>]*>', response.text)
        self.assertTrue(tag, "the confirmation page links to the tracking page")
        url = re.search(r'href="([^"]+)"', tag.group(0)).group(1).replace("&amp;", "&")
        token = re.search(r"[?&]token=([^&]+)", url).group(1)
        return url, token


@tagged("post_install", "-at_install")
class TestWebsiteIntake(ItimsWebsiteCase):
    def test_form_page(self):
        response = self.url_open("/soporte")
        self.assertEqual(response.status_code, 200)
        html = response.text
        self.assertIn('id="itims_intake_form"', html)
        self.assertIn('action="/soporte/enviar"', html)
        self.assertIn('enctype="multipart/form-data"', html)
        # every field has its label, the national ID is numeric on phones
        for field_id in (
            "itims_national_id",
            "itims_category_id",
            "itims_equipment_id",
            "itims_title",
            "itims_description",
            "itims_phone",
            "itims_email",
            "itims_attachments",
        ):
            self.assertIn(f'for="{field_id}"', html)
            self.assertIn(f'id="{field_id}"', html)
        self.assertRegex(html, r'id="itims_national_id"[^>]*inputmode="numeric"')
        self.assertRegex(html, r'id="itims_title"[^>]*maxlength="120"')
        self.assertRegex(html, r'id="itims_description"[^>]*minlength="15"[^>]*maxlength="5000"')
        # categories offered to the public: active and shown in the portal only
        self.assertIn(f'<option value="{self.category.id}">ITIMS Test Hardware</option>', html)
        self.assertNotIn("ITIMS Test Hidden", html)
        # no manual requester block while unknown IDs are refused
        self.assertNotIn('id="itims_manual_requester"', html)
        # areas the website builder can edit
        self.assertIn('id="oe_structure_itims_soporte_1"', html)
        self.assertIn('id="oe_structure_itims_soporte_2"', html)
        # the website menu leads here
        self.assertTrue(
            self.env["website.menu"].search(
                [("url", "=", "/soporte"), ("website_id", "=", self.website.id)]
            )
        )
        self.assertIn('href="/soporte"', html)

    def test_submit_valid(self):
        files = [
            ("attachments", ("pantalla.png", PNG, "image/png")),
            ("attachments", ("informe.pdf", PDF, "application/pdf")),
        ]
        response = self._submit(self._valid_data(), files=files)
        self.assertEqual(response.status_code, 200)
        ticket = self._tickets(requester_id=self.employee.id)
        self.assertEqual(len(ticket), 1)
        self.assertIn(f'<span id="itims_ticket_number">{ticket.number}</span>', response.text)
        # the link carries ITIMS's own tracking token (issue 13 item 4), not the
        # portal's access token; only its hash is stored
        url, token = self._confirmation_link(response)
        self.assertEqual(url, f"/soporte/seguimiento?ticket={ticket.number}&token={token}")
        self.assertGreaterEqual(len(token), 32)
        self.assertTrue(ticket._itims_check_tracking_token(token))
        self.assertNotIn(token, ticket.sudo().itims_tracking_token_hash)
        if ticket.access_token:
            self.assertNotIn(ticket.access_token, response.text)
        self.assertRecordValues(
            ticket,
            [
                {
                    "name": "La impresora no imprime",
                    "stage_id": self.registered_stage.id,
                    "itims_state": "registered",
                    "requester_id": self.employee.id,
                    "requester_national_id": "99887766",
                    "office_id": self.office.id,
                    "equipment_id": self.equipment.id,
                    "category_id": self.category.id,
                    "team_id": self.team.id,
                    "company_id": self.company.id,
                    "channel_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web").id,
                    "partner_name": "María Elena Torres Quispe",
                    "partner_email": "mtorres@itims-test.example",
                    "requester_phone": "+51 987 654 321",
                    "user_id": False,
                }
            ],
        )
        self.assertIn("Desde esta mañana la impresora", ticket.description)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)], order="name"
        )
        self.assertEqual(attachments.mapped("name"), ["informe.pdf", "pantalla.png"])
        self.assertEqual(attachments.mapped("mimetype"), ["application/pdf", "image/png"])
        self.assertEqual(attachments.mapped("raw"), [PDF, PNG])
        self.assertFalse(any(attachments.mapped("public")))
        # the requester's confirmation goes through the mail queue
        mail = self.env["mail.mail"].search(
            [("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.email_to, "mtorres@itims-test.example")
        self.assertEqual(mail.state, "outgoing")
        self.assertIn(ticket.number, mail.subject)
        self.assertIn(ticket.number, mail.body_html)
        self.assertIn(
            f"/soporte/seguimiento?ticket={ticket.number}&amp;token={token}", mail.body_html
        )

    def test_submit_without_equipment_and_email(self):
        data = self._valid_data(
            national_id=self.employee_no_email.identification_id,
            equipment_id="",
            phone="2041",  # an office extension
            email="pedro.salas@itims-test.example",
        )
        response = self._submit(data)
        self.assertEqual(response.status_code, 200)
        ticket = self._tickets(requester_id=self.employee_no_email.id)
        self.assertEqual(len(ticket), 1)
        self.assertFalse(ticket.equipment_id)
        self.assertEqual(ticket.office_id, self.office_other)
        self.assertEqual(ticket.requester_phone, "2041")
        # typed contact email kept on the ticket; no confirmation to an address
        # typed by an anonymous visitor
        self.assertEqual(ticket.partner_email, "pedro.salas@itims-test.example")
        self.assertFalse(
            self.env["mail.mail"].search(
                [("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
            )
        )

    def test_submission_assigned_by_the_engine(self):
        """A public submission the engine assigns at once still gets its page."""
        self.team.write(
            {"itims_assignment_method": "balanced", "user_ids": [(6, 0, self.technician.ids)]}
        )
        # a technician with an employee record, as in any institution
        self.env["hr.employee"].create(
            {"name": self.technician.name, "user_id": self.technician.id}
        )
        response = self._submit(self._valid_data())
        self.assertEqual(response.status_code, 200)
        ticket = self._tickets(requester_id=self.employee.id)
        self.assertEqual(ticket.user_id, self.technician)
        self.assertEqual(ticket.itims_state, "in_progress")
        self.assertIn(ticket.number, response.text)

    def test_team_falls_back_without_category_team(self):
        response = self._submit(self._valid_data(category_id=str(self.category_network.id)))
        self.assertEqual(response.status_code, 200)
        ticket = self._tickets(requester_id=self.employee.id)
        self.assertEqual(ticket.category_id, self.category_network)
        self.assertTrue(ticket.team_id)
        self.assertIn(ticket.team_id.company_id, (self.company, self.env["res.company"]))

    def test_validation_errors(self):
        cases = [
            ("national_id", {"national_id": ""}),
            ("national_id", {"national_id": "1234"}),
            ("national_id", {"national_id": "99887766' OR '1'='1"}),
            ("category_id", {"category_id": ""}),
            ("category_id", {"category_id": str(self.category_hidden.id)}),
            ("category_id", {"category_id": "not-a-number"}),
            ("equipment_id", {"equipment_id": str(self.equipment_foreign.id)}),
            ("equipment_id", {"equipment_id": str(self.equipment_retired.id)}),
            ("title", {"title": "   "}),
            ("title", {"title": "x" * 121}),
            ("description", {"description": "Muy corto"}),
            ("description", {"description": "x" * 5001}),
            ("phone", {"phone": "llámame"}),
            ("phone", {"phone": "12"}),
            ("email", {"email": "not-an-email"}),
        ]
        for field, override in cases:
            with self.subTest(field=field, value=next(iter(override.values()))[:40]):
                data = self._valid_data(title="Título que vuelve")
                data.update(override)
                response = self._submit(data)
                self.assertEqual(response.status_code, 400)
                html = response.text
                self.assertIn(f'id="itims_{field}_error"', html)
                self.assertRegex(html, rf'id="itims_{field}"[^>]*aria-invalid="true"')
                self.assertRegex(
                    html, rf'id="itims_{field}"[^>]*aria-describedby="[^"]*itims_{field}_error'
                )
                self.assertIn('id="itims_form_errors"', html)
                # the visitor's values come back
                if field != "description":
                    self.assertIn(data["description"], html)
                if field != "title":
                    self.assertIn(f'value="{data["title"]}"', html)
                self.assertFalse(self._tickets(requester_id=self.employee.id))
        self.assertFalse(self.env["helpdesk.ticket"].search([("name", "=", "Título que vuelve")]))

    def test_nul_characters_dropped(self):
        data = self._valid_data(
            title="Sin\x00 red", description="No hay red\x00 en la oficina desde ayer."
        )
        response = self._submit(data)
        self.assertEqual(response.status_code, 200)
        ticket = self._tickets(requester_id=self.employee.id)
        self.assertEqual(ticket.name, "Sin red")
        self.assertIn("No hay red en la oficina", ticket.description)
        response = self._submit(self._valid_data(national_id="9988\x007766"))
        self.assertEqual(response.status_code, 400)
        self.assertIn('id="itims_national_id_error"', response.text)

    def test_honeypot(self):
        data = self._valid_data(company_website="http://spam.example")
        response = self._submit(data)
        self.assertEqual(response.status_code, 400)
        self.assertIn('id="itims_form_errors"', response.text)
        self.assertFalse(self._tickets(requester_id=self.employee.id))

    def test_attachments_rejected(self):
        big = b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024)
        cases = {
            "too many": [("attachments", (f"f{i}.png", PNG, "image/png")) for i in range(4)],
            "too big": [("attachments", ("big.pdf", big, "application/pdf"))],
            "html as png": [
                ("attachments", ("x.png", b"<html><script>alert(1)</script></html>", "image/png"))
            ],
            "svg": [
                (
                    "attachments",
                    (
                        "x.svg",
                        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                        "image/svg+xml",
                    ),
                )
            ],
            "empty": [("attachments", ("empty.png", b"", "image/png"))],
        }
        for name, files in cases.items():
            with self.subTest(case=name):
                response = self._submit(self._valid_data(), files=files)
                self.assertEqual(response.status_code, 400)
                self.assertIn('id="itims_attachments_error"', response.text)
                self.assertFalse(self._tickets(requester_id=self.employee.id))
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "helpdesk.ticket"), ("name", "in", ["big.pdf", "x.svg"])]
            )
        )

    def test_oversized_body_rejected(self):
        csrf = self._csrf()
        files = [("attachments", ("huge.pdf", b"%PDF-1.4\n" + b"0" * (17 * 1024 * 1024), "x"))]
        data = dict(self._valid_data(), csrf_token=csrf)
        response = self.url_open("/soporte/enviar", data=data, files=files, timeout=60)
        self.assertEqual(response.status_code, 413)
        self.assertNotIn("Traceback", response.text)
        self.assertNotIn('File "', response.text)
        self.assertFalse(self._tickets(requester_id=self.employee.id))

    @mute_logger("odoo.http")
    def test_csrf_required(self):
        self._csrf()  # a session exists, the token is just not sent
        response = self._submit(self._valid_data(), csrf=False)
        self.assertEqual(response.status_code, 400)
        response = self._submit(dict(self._valid_data(), csrf_token="forged"), csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertNotIn("Traceback", response.text)
        self.assertFalse(self._tickets(requester_id=self.employee.id))

    def test_unknown_national_id_refused(self):
        data = self._valid_data(
            national_id="11223344", requester_name="Rosa Huamán", equipment_id=""
        )
        response = self._submit(data)
        self.assertEqual(response.status_code, 400)
        self.assertIn('id="itims_national_id_error"', response.text)
        self.assertFalse(self.env["helpdesk.ticket"].search([("partner_name", "=", "Rosa Huamán")]))
        self.assertFalse(
            self.env["helpdesk.ticket"].search([("requester_national_id", "=", "11223344")])
        )

    def test_unknown_national_id_accepted(self):
        self.company.itims_allow_unknown_requester = True
        page = self.url_open("/soporte").text
        self.assertRegex(page, r'id="itims_manual_requester"[^>]*d-none')
        self.assertIn(f'<option value="{self.office.id}">{self.office.name}</option>', page)

        # name and office are then required
        data = self._valid_data(national_id="11223344", equipment_id="")
        response = self._submit(data)
        self.assertEqual(response.status_code, 400)
        self.assertIn('id="itims_requester_name_error"', response.text)
        self.assertIn('id="itims_office_id_error"', response.text)
        self.assertNotRegex(response.text, r'id="itims_manual_requester"[^>]*d-none')

        # an equipment id is never trusted for an unknown requester
        data.update(
            requester_name="Rosa Huamán Flores",
            office_id=str(self.office_other.id),
            equipment_id=str(self.equipment.id),
        )
        response = self._submit(data)
        self.assertEqual(response.status_code, 200)
        ticket = self.env["helpdesk.ticket"].search([("requester_national_id", "=", "11223344")])
        self.assertEqual(len(ticket), 1)
        self.assertRecordValues(
            ticket,
            [
                {
                    "requester_id": False,
                    "partner_name": "Rosa Huamán Flores",
                    "office_id": self.office_other.id,
                    "equipment_id": False,
                    "itims_state": "registered",
                }
            ],
        )
        self.assertFalse(
            self.env["mail.mail"].search(
                [("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
            )
        )

        # an office that is not in the list is typed by hand
        data.update(national_id="11223355", office_id="other", office_other="Sede Callao, piso 2")
        response = self._submit(data)
        self.assertEqual(response.status_code, 200)
        ticket = self.env["helpdesk.ticket"].search([("requester_national_id", "=", "11223355")])
        self.assertFalse(ticket.office_id)
        self.assertIn("Sede Callao, piso 2", ticket.description)

    def test_xss_stored_and_escaped(self):
        payload = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
        data = self._valid_data(title=payload[:100], description="Detalle: " + payload)
        response = self._submit(data)
        self.assertEqual(response.status_code, 200)
        ticket = self._tickets(requester_id=self.employee.id)
        # stored as the visitor typed it (title is plain text), description escaped
        self.assertEqual(ticket.name, payload[:100])
        self.assertNotIn("<script", ticket.description)
        self.assertNotIn("<img", ticket.description)
        self.assertIn("&lt;script&gt;", ticket.description)
        # rendered escaped on the tracking page
        page = self.url_open(self._confirmation_link(response)[0]).text
        self.assertNotIn('<script>alert("xss")', page)
        self.assertNotIn("<img src=x", page)
        self.assertIn("&lt;script&gt;alert(", page)
        # and in the form sent back with an error
        response = self._submit(dict(data, title=payload[:100], phone="nope"))
        self.assertEqual(response.status_code, 400)
        self.assertNotIn('<script>alert("xss")', response.text)
        self.assertNotIn("<img src=x", response.text)

    def test_submission_rate_limit(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "helpdesk_itims.rate_limit_submit", "2/600"
        )
        for title in ("Primera incidencia", "Segunda incidencia"):
            response = self._submit(self._valid_data(title=title))
            self.assertEqual(response.status_code, 200)
        response = self._submit(self._valid_data(title="Tercera incidencia"))
        self.assertEqual(response.status_code, 429)
        self.assertIn('id="itims_form_errors"', response.text)
        tickets = self._tickets(requester_id=self.employee.id)
        self.assertEqual(
            sorted(tickets.mapped("name")), ["Primera incidencia", "Segunda incidencia"]
        )
        # one counter per client and window; the refused attempt counted too
        counter = self.env["itims.rate.limit"].search([("scope", "=", "submit")])
        self.assertEqual(len(counter), 1)
        self.assertEqual((counter.client, counter.count), ("127.0.0.1", 3))

    def test_backend_ticket_form_shows_requester(self):
        arch = self.env["helpdesk.ticket"].get_view(view_type="form")["arch"]
        for field in ("requester_id", "office_id", "equipment_id"):
            self.assertIn(f'name="{field}"', arch)


@tagged("post_install", "-at_install")
class TestWebsiteIntakeSpanish(ItimsWebsiteCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        spanish = activate_spanish(cls.env, ["helpdesk_itims"], overwrite=True)
        cls.website.language_ids |= spanish

    def test_pages_in_spanish(self):
        html = self.url_open("/es/soporte").text
        self.assertIn("Reportar una incidencia de TI", html)
        self.assertIn("Enviar incidencia", html)
        self.assertIn("Hasta 3 fotos o archivos PDF, de 5 MB cada uno.", html)
        self.assertIn("No encontramos este DNI.", html)
        # validation messages come back in Spanish
        response = self._submit(self._valid_data(title="", phone="abc"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("Escriba un título breve para el problema.", response.text)
        self.assertIn("Escriba un teléfono válido", response.text)
        # confirmation, tracking and the state names
        response = self._submit(self._valid_data())
        self.assertIn("Su incidencia fue registrada", response.text)
        self.assertEqual(len(self._tickets(requester_id=self.employee.id)), 1)
        html = self.url_open("/es" + self._confirmation_link(response)[0]).text
        self.assertIn(">Registrado<", html)
        self.assertIn(">En proceso<", html)
        html = self.url_open("/es/soporte/seguimiento?ticket=INC-0&national_id=12345678").text
        self.assertIn("No encontramos ningún ticket con ese número y DNI.", html)


@tagged("post_install", "-at_install")
class TestNationalIdLookup(ItimsWebsiteCase):
    def _lookup(self, national_id):
        return self.make_jsonrpc_request("/itims/dni_lookup", {"national_id": national_id})

    def test_lookup_found(self):
        result = self._lookup("99887766")
        self.assertTrue(result["found"])
        self.assertEqual(result["masked_name"], "M*** T***")
        self.assertEqual(result["office"], "Oficina de Logística ITIMS")
        self.assertEqual(
            {item["id"] for item in result["equipment"]},
            {self.equipment.id, self.equipment_office.id},
        )
        self.assertIn(
            "[ITIMS-T-PC-01] Dell OptiPlex 7090", [i["name"] for i in result["equipment"]]
        )
        dumped = json.dumps(result, ensure_ascii=False)
        for secret in ("María", "Torres", "Quispe", "99887766", "mtorres", "555 0101"):
            self.assertNotIn(secret, dumped)

    def test_lookup_offers_no_infrastructure(self):
        """Issue 13 item 5: the employee's own assets and the office's shared
        user-facing devices; never servers or network gear, whoever holds them."""
        Equipment = self.env["maintenance.equipment"]
        common = {"company_id": self.company.id}
        office = {"equipment_assign_to": "department", "department_id": self.office.id}
        own = {"equipment_assign_to": "employee", "employee_id": self.employee.id}
        offered = Equipment.create(
            [
                dict(common, **office, name="Escáner Epson", itims_asset_type="scanner"),
                dict(common, **office, name="Proyector Epson", itims_asset_type="projector"),
                dict(common, **own, name="Laptop HP", itims_asset_type="laptop"),
            ]
        )
        hidden = Equipment.create(
            [
                dict(common, **office, name="Servidor de archivos", itims_asset_type="server"),
                dict(common, **office, name="Switch Cisco piso 3", itims_asset_type="network"),
                dict(common, **office, name="PC de la recepción", itims_asset_type="desktop"),
                dict(common, **office, name="Equipo sin tipo"),
                dict(common, **own, name="Servidor bajo el escritorio", itims_asset_type="server"),
                dict(common, **own, name="Router personal", itims_asset_type="network"),
            ]
        )
        result = self._lookup("99887766")
        ids = {item["id"] for item in result["equipment"]}
        self.assertEqual(ids, {self.equipment.id, self.equipment_office.id} | set(offered.ids))
        self.assertFalse(ids & set(hidden.ids))
        dumped = json.dumps(result, ensure_ascii=False)
        for name in hidden.mapped("name"):
            self.assertNotIn(name, dumped)
        # nor can a submission name one of them
        for equipment in hidden:
            with self.subTest(equipment=equipment.name):
                response = self._submit(self._valid_data(equipment_id=str(equipment.id)))
                self.assertEqual(response.status_code, 400)
                self.assertIn('id="itims_equipment_id_error"', response.text)
        self.assertFalse(self._tickets(requester_id=self.employee.id))

    def test_lookup_ascii_digits_only(self):
        """Issue 13 item 5: \\d matched full-width and other Unicode digits."""
        for value in ("９９８８７７６６", "٩٩٨٨٧٧٦٦", "९९८८७७६६", "99887766\n1", "99887766x"):
            with self.subTest(value=value):
                result = self._lookup(value)
                self.assertFalse(result["found"])
                self.assertEqual(result["error"], "invalid")
        response = self._submit(self._valid_data(national_id="９９８８７７６６"))
        self.assertEqual(response.status_code, 400)
        self.assertIn('id="itims_national_id_error"', response.text)

    def test_lookup_masks(self):
        self.employee_no_email.name = "Pedro Salas"
        self.assertEqual(self._lookup("99887755")["masked_name"], "P*** S***")
        self.employee_no_email.name = "Luis"
        self.assertEqual(self._lookup("99887755")["masked_name"], "L***")

    def test_lookup_not_found_and_invalid(self):
        result = self._lookup("11223344")
        self.assertFalse(result["found"])
        self.assertFalse(result["masked_name"])
        self.assertFalse(result["office"])
        self.assertEqual(result["equipment"], [])
        self.assertFalse(result["allow_unknown"])
        self.company.itims_allow_unknown_requester = True
        self.assertTrue(self._lookup("11223344")["allow_unknown"])
        for value in (
            "123",
            "",
            "x" * 500,
            None,
            99887766,
            {"$ne": 1},
            ["99887766"],
            "9988\x007766",
        ):
            with self.subTest(value=value):
                result = self._lookup(value)
                self.assertFalse(result["found"])
                self.assertEqual(result["error"], "invalid")

    def test_lookup_other_company_employee_not_found(self):
        other = self.env["res.company"].create({"name": "ITIMS Other Institution"})
        self.env["hr.employee"].create(
            {"name": "Ana Ruiz", "identification_id": "99880000", "company_id": other.id}
        )
        self.assertFalse(self._lookup("99880000")["found"])

    @mute_logger("odoo.http")
    def test_lookup_malformed_call_has_no_traceback(self):
        payload = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": [1]})
        response = self.url_open(
            "/itims/dni_lookup", data=payload, headers={"Content-Type": "application/json"}
        )
        body = response.json()
        self.assertIn("error", body)
        self.assertNotIn("Traceback", response.text)
        self.assertNotIn("debug", body["error"]["data"])

    def test_lookup_rate_limit(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "helpdesk_itims.rate_limit_lookup", "3/600"
        )
        for _i in range(3):
            self.assertTrue(self._lookup("99887766")["found"])
        result = self._lookup("99887766")
        self.assertFalse(result["found"])
        self.assertFalse(result["masked_name"])
        self.assertEqual(result["error"], "rate_limited")


@tagged("post_install", "-at_install")
class TestRateLimit(ItimsWebsiteCase):
    """The counters (issue 13 item 1 replaced the attempt log by one counter per
    scope, client and window: the same checks on the new model)."""

    def test_limit_per_client_and_scope(self):
        Limit = self.env["itims.rate.limit"]
        self.env["ir.config_parameter"].set_param("helpdesk_itims.rate_limit_lookup", "2/600")
        self.assertTrue(Limit._hit("lookup", "10.0.0.1"))
        self.assertTrue(Limit._hit("lookup", "10.0.0.1"))
        self.assertFalse(Limit._hit("lookup", "10.0.0.1"))
        # other clients and other scopes have their own counters
        self.assertTrue(Limit._hit("lookup", "10.0.0.2"))
        self.assertTrue(Limit._hit("tracking", "10.0.0.1"))
        counter = Limit.search([("scope", "=", "lookup"), ("client", "=", "10.0.0.1")])
        self.assertEqual(counter.count, 3, "the refused attempt is counted too")
        # attempts of an older window no longer count
        self.env.cr.execute(
            "UPDATE itims_rate_limit SET window_start = window_start - interval '601 seconds'"
        )
        Limit.invalidate_model()
        self.assertTrue(Limit._hit("lookup", "10.0.0.1"))
        # 0 attempts means no limit
        self.env["ir.config_parameter"].set_param("helpdesk_itims.rate_limit_lookup", "0/60")
        self.assertEqual(Limit._get_rate_limit("lookup"), (0, 60))

    def test_malformed_settings_fall_back(self):
        Limit = self.env["itims.rate.limit"]
        ICP = self.env["ir.config_parameter"]
        for value in ("lots", "abc", "20/100000000000", "-5/600", "10/-1", "10/0", "1/2/3", "/"):
            with self.subTest(value=value):
                ICP.set_param("helpdesk_itims.rate_limit_lookup", value)
                with self.assertLogs(
                    "odoo.addons.helpdesk_itims.models.itims_rate_limit", "WARNING"
                ):
                    self.assertEqual(Limit._get_rate_limit("lookup"), (30, 600))
        # and the routes keep answering
        ICP.set_param("helpdesk_itims.rate_limit_submit", "20/100000000000")
        ICP.set_param("helpdesk_itims.rate_limit_tracking", "abc")
        with mute_logger("odoo.addons.helpdesk_itims.models.itims_rate_limit"):
            self.assertEqual(self._submit(self._valid_data()).status_code, 200)
            response = self.url_open("/soporte/seguimiento?ticket=INC-0&national_id=12345678")
            self.assertEqual(response.status_code, 404)

    def test_client_keys(self):
        from ..models.itims_rate_limit import client_key

        self.assertEqual(client_key("203.0.113.7"), "203.0.113.7")
        # one IPv6 subscriber holds a whole /64: every address of it is one client
        self.assertEqual(client_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64")
        self.assertEqual(client_key("2001:db8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64")
        self.assertNotEqual(client_key("2001:db8:1:3::1"), "2001:db8:1:2::/64")
        self.assertEqual(client_key("::ffff:203.0.113.7"), "203.0.113.7")
        for junk in ("", None, "not an ip", "1.2.3.4, 5.6.7.8", "x" * 500):
            self.assertEqual(client_key(junk), "unknown")

    def test_autovacuum_purges_old_counters(self):
        Limit = self.env["itims.rate.limit"]
        Limit._hit("submit", "10.0.0.9")
        self.env.cr.execute(
            "UPDATE itims_rate_limit SET window_start = window_start - interval '2 days'"
        )
        Limit._hit("submit", "10.0.0.9")
        Limit.invalidate_model()
        self.assertEqual(Limit.search_count([("client", "=", "10.0.0.9")]), 2)
        Limit._gc_rate_limit()
        Limit.invalidate_model()
        remaining = Limit.search([("client", "=", "10.0.0.9")])
        self.assertEqual(len(remaining), 1)
        self.assertGreater(remaining.window_start, fields.Datetime.now() - timedelta(days=1))

    def test_no_access_for_visitors_and_users(self):
        public = self.env.ref("base.public_user")
        employee_user = new_test_user(self.env, login="itims_plain_user", context=QUIET_CONTEXT)
        Limit = self.env["itims.rate.limit"]
        for user in (public, employee_user, self.technician):
            with self.subTest(user=user.login):
                self.assertFalse(Limit.with_user(user).has_access("read"))
                self.assertFalse(Limit.with_user(user).has_access("create"))
        admin = new_test_user(
            self.env,
            login="itims_web_admin",
            groups="helpdesk_itims.group_itims_admin",
            context=QUIET_CONTEXT,
        )
        self.assertTrue(Limit.with_user(admin).has_access("read"))
        self.assertFalse(Limit.with_user(admin).has_access("write"))


@tagged("post_install", "-at_install")
class TestIntakeTour(ItimsWebsiteCase):
    def test_intake_tour(self):
        self.start_tour("/soporte", "itims_intake_tour")
        ticket = self._tickets(requester_id=self.employee.id)
        self.assertEqual(len(ticket), 1)
        self.assertRecordValues(
            ticket,
            [
                {
                    "name": "No enciende el monitor",
                    "category_id": self.category.id,
                    "equipment_id": self.equipment.id,
                    "office_id": self.office.id,
                    "itims_state": "registered",
                    "requester_phone": "987654321",
                }
            ],
        )

    def test_intake_tour_unknown_requester(self):
        self.company.itims_allow_unknown_requester = True
        # the ticket falls back to the first team of the company (with demo data, a
        # team with technicians): keep it in the queue to check what was recorded
        self.env["helpdesk.ticket.team"].search([]).itims_assignment_method = "manual"
        self.start_tour("/soporte", "itims_intake_unknown_tour")
        ticket = self.env["helpdesk.ticket"].search([("requester_national_id", "=", "11223344")])
        self.assertEqual(len(ticket), 1)
        self.assertRecordValues(
            ticket,
            [
                {
                    "requester_id": False,
                    "partner_name": "Rosa Huamán Flores",
                    "office_id": False,
                    "category_id": self.category_network.id,
                    "itims_state": "registered",
                }
            ],
        )
        self.assertIn("Sede Callao, piso 2", ticket.description)

    def test_page_editable_with_website_builder(self):
        new_test_user(
            self.env,
            login="itims_web_designer",
            groups="base.group_user,website.group_website_designer",
            context=QUIET_CONTEXT,
        )
        self.start_tour(
            self.env["website"].get_client_action_url("/soporte"),
            "itims_intake_edit_tour",
            login="itims_web_designer",
        )
        # visitors see the edited page, and the form still works
        self.authenticate(None, None)
        html = self.url_open("/soporte").text
        self.assertIn("Mesa de ayuda de TI", html)
        self.assertIn('id="itims_intake_form"', html)
