"""The demo data of the assistant and the demo front door (these tests read the
demo records on purpose: they are what a newcomer sees after `make run`)."""

from collections import Counter

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestChatbotDemo(HttpCase):
    def test_demo_faqs(self):
        faq = self.env.ref("helpdesk_itims_chatbot.itims_faq_printer_queue_demo")
        faqs = self.env["itims.faq"].search([("is_published", "=", True)])
        self.assertIn(faq, faqs)
        self.assertGreaterEqual(len(faqs), 25)
        categories = Counter(faqs.mapped("category_id.name"))
        self.assertGreaterEqual(len(categories), 5)
        self.assertTrue(all("<li>" in str(f.answer) for f in faqs))
        self.assertTrue(any("SIAF" in f.name for f in faqs))

    def test_demo_history_matches_the_paper(self):
        interactions = self.env["itims.chatbot.interaction"].search([])
        self.assertGreater(len(interactions), 200)
        rate = len(interactions.filtered("is_answered")) / len(interactions)
        self.assertAlmostEqual(rate, 0.85, delta=0.04)
        for interaction in interactions:
            # Lima office hours, working days (UTC-5)
            self.assertLess(interaction.date.weekday(), 5)
            self.assertTrue(13 <= interaction.date.hour <= 21)
            self.assertNotEqual(interaction.date.hour, 18)
        by_model = interactions.filtered(lambda i: i.outcome == "answered_model")
        self.assertTrue(all(by_model.mapped("model_used")))

    def test_front_door(self):
        company = self.env.ref("base.main_company")
        self.assertTrue(company.logo)
        self.assertEqual(company.city, "Abancay")
        self.assertEqual(company.partner_id.tz, "America/Lima")
        html = self.url_open("/").text
        for text in (
            "Mesa de ayuda de Tecnologías de la Información",
            'href="/soporte"',
            'href="/soporte/seguimiento"',
            'action="/soporte/faq"',
            "o_itims_chatbot_open",
            "Anexo 205",
            "Horario de atención",
            "Inicio",
        ):
            self.assertIn(text, html)
        for text in ("YourCompany", "YourLogo", "disruptive", "disruptivos"):
            self.assertNotIn(text, html)
