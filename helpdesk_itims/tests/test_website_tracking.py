import re

from odoo.tests import tagged

from .test_website_intake import ItimsWebsiteCase


@tagged("post_install", "-at_install")
class TestWebsiteTracking(ItimsWebsiteCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls._new_ticket(name="Sin acceso a internet")

    def _track_post(self, number, national_id):
        return self.url_open(
            "/soporte/seguimiento", data={"ticket": number, "national_id": national_id}
        )

    def _error_block(self, html):
        match = re.search(r'<div id="itims_tracking_error"[^>]*>(.*?)</div>', html, re.DOTALL)
        return match and " ".join(match.group(1).split())

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
                self.assertIn(f'id="itims_tracking_number">{self.ticket.number}<', html)
                self.assertIn('data-state="registered"', html)
                self.assertIn("Sin acceso a internet", html)
                self.assertIn('data-step="registered"', html)
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
        url = f"/soporte/seguimiento?ticket={self.ticket.number}&token={self.ticket.access_token}"
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'id="itims_tracking_number">{self.ticket.number}<', response.text)

        other_ticket = self._new_ticket(name="Otro ticket")
        bad_urls = [
            f"/soporte/seguimiento?ticket={self.ticket.number}&token=not-the-token",
            f"/soporte/seguimiento?ticket={self.ticket.number}&token={other_ticket.access_token}",
            f"/soporte/seguimiento?ticket={other_ticket.number}&token={self.ticket.access_token}",
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
        url = f"/soporte/seguimiento?ticket={self.ticket.number}&token={self.ticket.access_token}"
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
        self.assertIn("Reportado dos veces.", html)

    def test_internal_notes_not_shown(self):
        self.ticket.notes = "<p>Clave del router: 1234</p>"
        html = self._track_post(self.ticket.number, "99887766").text
        self.assertNotIn("Clave del router", html)
        self.assertNotIn("No hay red en la oficina", html)

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
        self.assertEqual(
            self.env["itims.rate.limit.log"].search_count([("scope", "=", "tracking")]), 2
        )
