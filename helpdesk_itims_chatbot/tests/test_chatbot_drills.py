"""Fault drill (issue 17 item 2): OpenRouter answers nothing in time, through the
real route. helpdesk_itims_chatbot/tests/test_openrouter_client.py bounds the
client alone (one slow model rotates, every model slow stays within the total)
and test_chatbot_ask.py falls back to the FAQs when every model fails with an
error; here every model hangs: the visitor's request ends with the total timeout,
not after one wait per model, and answers from the FAQs."""

import time
from urllib.parse import urlparse

from odoo.tests import tagged
from odoo.tests.common import _super_send
from odoo.tools import mute_logger

from .common import MODELS, ChatbotCase


@tagged("post_install", "-at_install")
class TestChatbotUpstreamTimeouts(ChatbotCase):
    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        """Requests to the fake OpenRouter keep the client's own timeout (Odoo's
        test handler raises any timeout under 10 s to 10 s)."""
        if urlparse(r.url).hostname == "127.0.0.1":
            return _super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    def test_every_model_hangs_request_bounded_faq_fallback(self):
        self.fake.default = "slow"  # each model would answer after 3 s; the total is 2 s
        start = time.monotonic()
        with mute_logger(
            "odoo.addons.helpdesk_itims_chatbot.services.openrouter",
            "odoo.addons.helpdesk_itims_chatbot.models.itims_chatbot",
        ):
            result = self.ask("La impresora no imprime")
        elapsed = time.monotonic() - start
        # bounded by the total timeout, far from one wait per model (4 x 3 s)
        self.assertLess(elapsed, self.fake.slow_seconds * len(MODELS) / 2)
        self.assertEqual(result["outcome"], "answered_faq")
        self.assertIn(self.faq_printer.name, result["answer"])
        interaction = self.interactions()[-1]
        self.assertEqual(interaction.outcome, "answered_faq")
        self.assertFalse(interaction.model_used)
        states = self.env["itims.chatbot.model.state"].search([])
        self.assertTrue(states, "the models that timed out rest")
        self.assertIn("timeout", " ".join(states.mapped("last_problem")))
