import hashlib
import re
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .test_website_intake import ItimsWebsiteCase


@tagged("post_install", "-at_install")
class TestWebsiteTracking(ItimsWebsiteCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls._new_ticket(name="Sin acceso a internet")
        cls.token = cls.ticket._itims_new_tracking_token()

    def _token_url(self, ticket=None, token=None):
        ticket = ticket or self.ticket
        return f"/soporte/seguimiento?ticket={ticket.number}&token={token or self.token}"

    def _track_post(self, number, national_id):
        return self.url_open(
            "/soporte/seguimiento", data={"ticket": number, "national_id": national_id}
        )

    def _error_block(self, html):
        match = re.search(r'<div id="itims_tracking_error"[^>]*>(.*?)</div>', html, re.DOTALL)
        return match and " ".join(match.group(1).split())

    def assertShowsNumber(self, html):
        """The ticket's number in its heading (whatever the attributes' order)."""
        self.assertRegex(
            html, rf'<h2 [^>]*id="itims_tracking_number"[^>]*>{re.escape(self.ticket.number)}<'
        )

    def test_form_page(self):
        response = self.url_open("/soporte/seguimiento")
        self.assertEqual(response.status_code, 200)
        self.assertIn('id="itims_tracking_form"', response.text)
        self.assertIn('for="itims_tracking_ticket"', response.text)
        self.assertIn('for="itims_tracking_national_id"', response.text)
        self.assertNotIn('id="itims_tracking_error"', response.text)
        self.assertIn('id="oe_structure_itims_tracking_1"', response.text)

    def test_right_pair(self):
        for method in ("post", "get"):
            with self.subTest(method=method):
                if method == "post":
                    response = self._track_post(self.ticket.number, "99887766")
                else:
                    response = self.url_open(
                        f"/soporte/seguimiento?ticket={self.ticket.number}&national_id=99887766"
                    )
                self.assertEqual(response.status_code, 200)
                html = response.text
                self.assertShowsNumber(html)
                self.assertIn('data-state="registered"', html)
                self.assertIn('data-step="registered"', html)
                # issue 13 item 4: number + national ID shows the state and its
                # dates only; the title and the rest need the link's token
                self.assertNotIn("Sin acceso a internet", html)
                self.assertIn('id="itims_tracking_partial"', html)
                self.assertNotIn('id="itims_tracking_title"', html)
                self.assertNotIn('id="itims_tracking_history"', html)
                self.assertNotIn('id="itims_tracking_technician"', html)
                # nothing personal about the requester on the page
                self.assertNotIn("Torres", html)
                self.assertNotIn("mtorres@", html)

    def test_wrong_pair_is_neutral(self):
        other_ticket = self._new_ticket(name="Otro ticket", requester_id=self.employee_no_email.id)
        wrong_id = self._track_post(self.ticket.number, "99887755")
        missing = self._track_post("INC-1999-999999", "99887766")
        crossed = self._track_post(other_ticket.number, "99887766")
        empty_id = self._track_post(self.ticket.number, "")
        responses = (wrong_id, missing, crossed, empty_id)
        for response in responses:
            self.assertEqual(response.status_code, 404)
            self.assertNotIn('id="itims_ticket_status"', response.text)
            self.assertNotIn("Sin acceso a internet", response.text)
            self.assertNotIn("Otro ticket", response.text)
        # the very same message whether the ticket exists or not
        messages = {self._error_block(response.text) for response in responses}
        self.assertEqual(len(messages), 1)
        self.assertTrue(messages.pop())

    def test_any_character_is_neutral(self):
        response = self._track_post(self.ticket.number + "\x00", "99887766")
        self.assertEqual(response.status_code, 404)
        for national_id, token in (
            ("9988776ñ", None),
            ("٩٩٨٨٧٧٦٦", None),
            ("99887766\x00", None),
            (None, "tökén-ñ"),
            (None, "x\x00"),
        ):
            with self.subTest(national_id=national_id, token=token):
                data = {"ticket": self.ticket.number}
                if national_id:
                    data["national_id"] = national_id
                if token:
                    data["token"] = token
                response = self.url_open("/soporte/seguimiento", data=data)
                self.assertEqual(response.status_code, 404)
                self.assertIn('id="itims_tracking_error"', response.text)

    def test_token_link(self):
        response = self.url_open(self._token_url())
        self.assertEqual(response.status_code, 200)
        self.assertShowsNumber(response.text)
        # the link shows the details
        self.assertIn(
            '<p id="itims_tracking_title" class="mb-1 fw-bold">Sin acceso a', response.text
        )
        self.assertIn("No hay red en la oficina", response.text)
        self.assertIn('id="itims_tracking_history"', response.text)
        self.assertNotIn('id="itims_tracking_partial"', response.text)

        other_ticket = self._new_ticket(name="Otro ticket")
        other_token = other_ticket._itims_new_tracking_token()
        bad_urls = [
            f"/soporte/seguimiento?ticket={self.ticket.number}&token=not-the-token",
            self._token_url(token=other_token),
            self._token_url(ticket=other_ticket),
            # the portal's access token is not ITIMS's tracking token
            self._token_url(token=self.ticket.access_token),
            # nor is the stored hash
            self._token_url(token=self.ticket.sudo().itims_tracking_token_hash),
            # a wrong token is not rescued by a right national ID
            f"/soporte/seguimiento?ticket={self.ticket.number}&token=x&national_id=99887766",
        ]
        for bad_url in bad_urls:
            with self.subTest(url=bad_url):
                response = self.url_open(bad_url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn('id="itims_ticket_status"', response.text)

    def test_dates_in_visitor_time_zone(self):
        """A browser opening the link first hand (no tz cookie yet) gets the
        institution's time zone; once the website set the cookie, the visitor's."""
        self.company.partner_id.tz = "America/Lima"
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
            ("2026-03-10 15:30:00", self.ticket.id),
        )
        self.ticket.invalidate_recordset(["create_date"])
        url = self._token_url()
        browser = {
            "User-Agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
            "(KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
        }
        response = self.url_open(url, headers=browser)
        self.assertEqual(response.status_code, 200)
        registered = re.search(r'data-step="registered".*?</li>', response.text, re.DOTALL).group(0)
        self.assertRegex(registered, r"10:30:00")  # UTC-5
        self.opener.cookies.set("tz", "Europe/Madrid")
        response = self.url_open(url, headers=browser)
        registered = re.search(r'data-step="registered".*?</li>', response.text, re.DOTALL).group(0)
        self.assertRegex(registered, r"16:30:00")  # UTC+1

    def test_timeline_resolved(self):
        self.team.user_ids = [(4, self.technician.id)]
        self.ticket.with_context(itims_skip_assignment=True).write(
            {
                "user_id": self.technician.id,
                "stage_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress").id,
            }
        )
        response = self._track_post(self.ticket.number, "99887766")
        html = response.text
        self.assertIn('data-state="in_progress"', html)
        self.assertRegex(html, r'data-step="in_progress"[^>]*aria-current="step"')
        # the technician's first name only
        self.assertIn('<span id="itims_tracking_technician">Carlos</span>', html)
        self.assertNotIn("Ramos", html)
        self.assertNotIn('id="itims_tracking_resolution"', html)

        self.ticket.with_context(itims_skip_assignment=True).write(
            {
                "stage_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id,
                "resolution_notes": "Se reemplazó el cable de red.\n<b>Listo</b>",
            }
        )
        self.assertTrue(self.ticket.closed_date)
        html = self._track_post(self.ticket.number, "99887766").text
        self.assertIn('data-state="resolved"', html)
        self.assertRegex(html, r'data-step="resolved"[^>]*aria-current="step"')
        # every reached step shows its date
        for step in ("registered", "in_progress", "resolved"):
            block = re.search(rf'data-step="{step}".*?</li>', html, re.DOTALL).group(0)
            self.assertIn("fa-check-circle", block)
            self.assertRegex(block, r'<div class="small">[^<]*\d{4}[^<]*</div>')
        # issue 13 item 4: the resolution note needs the link's token
        self.assertNotIn("Se reemplazó el cable de red.", html)
        html = self.url_open(self._token_url()).text
        self.assertIn('data-state="resolved"', html)
        self.assertIn("Se reemplazó el cable de red.", html)
        self.assertIn("&lt;b&gt;Listo&lt;/b&gt;", html)

    def test_timeline_cancelled_from_queue(self):
        self.ticket.with_context(itims_skip_assignment=True).write(
            {
                "stage_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled").id,
                "resolution_notes": "Reportado dos veces.",
            }
        )
        html = self._track_post(self.ticket.number, "99887766").text
        self.assertIn('data-state="cancelled"', html)
        self.assertIn('data-step="cancelled"', html)
        self.assertNotIn('data-step="resolved"', html)
        in_progress = re.search(r'data-step="in_progress".*?</li>', html, re.DOTALL).group(0)
        self.assertIn("fa-circle-o", in_progress)
        # issue 13 item 4: the resolution note needs the link's token
        self.assertNotIn("Reportado dos veces.", html)
        self.assertIn("Reportado dos veces.", self.url_open(self._token_url()).text)

    def test_internal_notes_not_shown(self):
        self.ticket.notes = "<p>Clave del router: 1234</p>"
        html = self._track_post(self.ticket.number, "99887766").text
        self.assertNotIn("Clave del router", html)
        self.assertNotIn("No hay red en la oficina", html)
        # the link shows the requester's own description, never internal notes
        html = self.url_open(self._token_url()).text
        self.assertIn("No hay red en la oficina", html)
        self.assertNotIn("Clave del router", html)

    def test_tracking_rate_limit(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "helpdesk_itims.rate_limit_tracking", "2/600"
        )
        self.assertEqual(self._track_post("INC-1999-000001", "11111111").status_code, 404)
        self.assertEqual(self._track_post("INC-1999-000002", "11111111").status_code, 404)
        # from now on even the right pair reveals nothing
        response = self._track_post(self.ticket.number, "99887766")
        self.assertEqual(response.status_code, 429)
        self.assertNotIn('id="itims_ticket_status"', response.text)
        self.assertNotIn("Sin acceso a internet", response.text)
        self.assertIn('id="itims_tracking_error"', response.text)
        # the empty form does not count as an attempt
        self.assertEqual(self.url_open("/soporte/seguimiento").status_code, 200)
        # issue 13 item 1: one counter per client, and the refused attempt counts
        counter = self.env["itims.rate.limit"].search([("scope", "=", "tracking")])
        self.assertEqual(counter.mapped("count"), [3])

    def test_token_stored_hashed_and_long(self):
        ticket = self.ticket.sudo()
        self.assertGreaterEqual(len(self.token), 32, "at least 128 bits, URL-safe")
        self.assertEqual(
            ticket.itims_tracking_token_hash, hashlib.sha256(self.token.encode()).hexdigest()
        )
        self.assertNotIn(self.token, str(ticket.read()[0]))
        expiry = ticket.itims_tracking_token_expiry
        self.assertAlmostEqual(
            expiry, fields.Datetime.now() + timedelta(days=180), delta=timedelta(minutes=5)
        )
        # nobody but the system reads the hash
        self.assertFalse(
            self.ticket.with_user(self.technician)
            ._fields["itims_tracking_token_hash"]
            .is_accessible(self.ticket.with_user(self.technician).env)
        )

    def test_token_expires(self):
        self.env["ir.config_parameter"].sudo().set_param("helpdesk_itims.tracking_token_days", "7")
        token = self.ticket._itims_new_tracking_token()
        self.assertAlmostEqual(
            self.ticket.sudo().itims_tracking_token_expiry,
            fields.Datetime.now() + timedelta(days=7),
            delta=timedelta(minutes=5),
        )
        self.assertEqual(self.url_open(self._token_url(token=token)).status_code, 200)
        self.ticket.sudo().itims_tracking_token_expiry = fields.Datetime.now() - timedelta(
            seconds=1
        )
        response = self.url_open(self._token_url(token=token))
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Sin acceso a internet", response.text)
        self.assertIn('id="itims_tracking_error"', response.text)
        # the number and national ID still show the state
        self.assertEqual(self._track_post(self.ticket.number, "99887766").status_code, 200)

    def test_token_rotated_when_reopened(self):
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        self.ticket.with_context(itims_skip_assignment=True).write(
            {"stage_id": done.id, "resolution_notes": "Cable cambiado."}
        )
        self.assertEqual(self.url_open(self._token_url()).status_code, 200, "resolving keeps it")
        # reopened through Reopen, which asks the reason (issue 18)
        self.ticket.with_context(itims_skip_assignment=True)._itims_reopen(
            "El cable vuelve a fallar."
        )
        self.assertEqual(self.ticket.itims_state, "registered")
        self.assertEqual(self.url_open(self._token_url()).status_code, 404)
        # the requester gets the new link by mail, and it works
        mail = self.env["mail.mail"].search(
            [("model", "=", "helpdesk.ticket"), ("res_id", "=", self.ticket.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.email_to, "mtorres@itims-test.example")
        self.assertIn("reopened", mail.body_html)
        new_url = re.search(r'href="([^"]*/soporte/seguimiento\?[^"]+)"', mail.body_html)
        new_url = new_url.group(1).replace("&amp;", "&")
        new_url = new_url[new_url.index("/soporte/") :]
        self.assertNotIn(self.token, new_url)
        response = self.url_open(new_url)
        self.assertEqual(response.status_code, 200)
        self.assertIn('id="itims_tracking_title"', response.text)

    def test_full_width_digits_refused(self):
        for national_id in ("９９８８７７６６", "9988776６", "٩٩٨٨٧٧٦٦", "99887766 x"):
            with self.subTest(national_id=national_id):
                response = self._track_post(self.ticket.number, national_id)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn('id="itims_ticket_status"', response.text)
