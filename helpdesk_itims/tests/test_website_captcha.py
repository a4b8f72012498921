from contextlib import contextmanager
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_website_intake import ItimsWebsiteCase

# the form error, in English or in the website's Spanish
CAPTCHA_ERROR = "comes from a person|proviene de una persona"


@tagged("post_install", "-at_install")
class TestCaptcha(ItimsWebsiteCase):
    """The public forms use whatever captcha the institution installed, through
    ``ir.http._verify_request_recaptcha_token``. google_recaptcha (a dependency
    of website) is the provider here: only its call to Google's API is stubbed;
    reading the token from the request, the verdicts and the errors it raises
    run as in production."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls._new_ticket()
        cls.token = cls.ticket._itims_new_tracking_token()

    @contextmanager
    def _google(self, verdict):
        """Google answers ``verdict`` (is_human, is_bot, wrong_token...) to every
        token; yields the (token, action) pairs it was asked about."""
        calls = []

        def verify(model, ip_addr, token, action=False):
            calls.append((token, action))
            return verdict

        with patch.object(type(self.env["ir.http"]), "_verify_recaptcha_token", verify):
            yield calls

    def _submit_with_token(self, token="token-from-the-browser"):
        data = self._valid_data(recaptcha_token_response=token)
        return self._submit(data)

    def test_intake_refused_for_a_bot(self):
        before = self.env["helpdesk.ticket"].search_count([])
        with self._google("is_bot") as calls, mute_logger("odoo.addons.helpdesk_itims"):
            response = self._submit_with_token()
        self.assertEqual(calls, [("token-from-the-browser", "itims_intake")])
        self.assertEqual(response.status_code, 400)
        self.assertRegex(response.text, CAPTCHA_ERROR)
        # the visitor keeps what they typed; the token is not echoed back
        self.assertIn("La impresora no imprime", response.text)
        self.assertNotIn("token-from-the-browser", response.text)
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), before)

    def test_intake_refused_for_an_invalid_token(self):
        # google_recaptcha raises ValidationError for a wrong token: a form
        # error, never a 500
        before = self.env["helpdesk.ticket"].search_count([])
        for verdict in ("wrong_token", "timeout", "bad_request"):
            with self.subTest(verdict=verdict), self._google(verdict):
                with mute_logger("odoo.addons.helpdesk_itims"):
                    response = self._submit_with_token("")
                self.assertEqual(response.status_code, 400)
                self.assertRegex(response.text, CAPTCHA_ERROR)
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), before)

    def test_intake_accepted_for_a_person(self):
        with self._google("is_human") as calls:
            response = self._submit_with_token()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(calls, [("token-from-the-browser", "itims_intake")])
        self.assertEqual(len(self._tickets(name="La impresora no imprime")), 1)

    def test_without_keys_nothing_is_asked(self):
        # google_recaptcha's own answer when no private key is configured: the
        # forms work without any token
        self.env["ir.config_parameter"].sudo().set_param("recaptcha_private_key", False)
        response = self._submit(self._valid_data())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(self._tickets(name="La impresora no imprime")), 1)

    def test_tracking_by_national_id_needs_the_captcha(self):
        with self._google("is_bot") as calls, mute_logger("odoo.addons.helpdesk_itims"):
            response = self.url_open(
                "/soporte/seguimiento",
                data={
                    "ticket": self.ticket.number,
                    "national_id": self.employee.identification_id,
                    "recaptcha_token_response": "bot-token",
                },
            )
        self.assertEqual(calls, [("bot-token", "itims_tracking")])
        self.assertEqual(response.status_code, 400)
        self.assertRegex(response.text, CAPTCHA_ERROR)
        self.assertNotIn(self.ticket.number + "</h2>", response.text)

        with self._google("is_human"):
            response = self.url_open(
                "/soporte/seguimiento",
                data={
                    "ticket": self.ticket.number,
                    "national_id": self.employee.identification_id,
                    "recaptcha_token_response": "person-token",
                },
            )
        self.assertEqual(response.status_code, 200)
        self.assertIn('id="itims_tracking_number"', response.text)

    def test_tracking_link_needs_no_captcha(self):
        # the link's token (128 bits) cannot be guessed: a click from the
        # e-mail is not asked to solve anything
        with self._google("is_bot") as calls:
            response = self.url_open(
                f"/soporte/seguimiento?ticket={self.ticket.number}&token={self.token}"
            )
        self.assertEqual(calls, [])
        self.assertEqual(response.status_code, 200)
        self.assertIn('id="itims_tracking_title"', response.text)

    def test_forms_ask_for_their_action(self):
        # the widget (captcha_form.esm.js) asks the provider for the action the
        # server checks
        self.assertIn('data-itims-captcha="itims_intake"', self.url_open("/soporte").text)
        self.assertIn(
            'data-itims-captcha="itims_tracking"', self.url_open("/soporte/seguimiento").text
        )
