from odoo.tests import tagged

from .common import ChatbotCase


@tagged("post_install", "-at_install")
class TestChatbotTour(ChatbotCase):
    def test_ask_and_escalate(self):
        self.start_tour("/", "itims_chatbot_tour")
        self.assertEqual(self.fake.models_asked(), [self.fake.requests[0]["json"]["model"]])
        self.assertNotIn(b"45871236", self.fake.requests[0]["raw"])
        self.assertEqual(self.interactions().mapped("outcome"), ["answered_model"])
