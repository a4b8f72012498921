import re
from urllib.parse import parse_qs, urlsplit

from odoo.tests import tagged

from .common import ChatbotCase


@tagged("post_install", "-at_install")
class TestFaqPage(ChatbotCase):
    def test_list_and_search(self):
        html = self.url_open("/soporte/faq").text
        self.assertIn(self.faq_printer.name, html)
        self.assertIn(self.faq_password.name, html)
        self.assertNotIn(self.faq_hidden.name, html)
        # accents and case do not matter, the unpublished one never shows
        html = self.url_open("/soporte/faq?q=CONTRASENA").text
        self.assertIn(self.faq_password.name, html)
        self.assertNotIn(self.faq_printer.name, html)
        html = self.url_open("/soporte/faq?q=impresora").text
        self.assertIn(self.faq_printer.name, html)
        self.assertNotIn(self.faq_hidden.name, html)
        html = self.url_open("/soporte/faq?q=horario+del+comedor").text
        self.assertIn('id="itims_faq_none"', html)
        # hostile queries are plain text, never markup nor SQL
        response = self.url_open("/soporte/faq?q=%3Cscript%3Ealert(1)%3C/script%3E'%20OR%201=1--")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("<script>alert(1)", response.text)
        response = self.url_open("/soporte/faq?q=" + "a" * 5000)
        self.assertEqual(response.status_code, 200)

    def test_search_ranks_question_words_first(self):
        faqs = self.env["itims.faq"]._itims_search("mi impresora no imprime")
        self.assertEqual(faqs[:1], self.faq_printer)
        self.assertNotIn(self.faq_hidden, faqs)
        # the public user reads through the record rules
        public = self.env.ref("base.public_user")
        faqs = self.env["itims.faq"].with_user(public)._itims_search("impresora")
        self.assertEqual(faqs, self.faq_printer)

    def _vote(self, faq, helpful):
        # the intake form always carries a token of this session
        html = self.url_open("/soporte").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        response = self.url_open(
            f"/soporte/faq/{faq.id}/votar", data={"helpful": helpful, "csrf_token": token}
        )
        self.env["itims.faq"].invalidate_model()
        return response

    def test_votes(self):
        response = self._vote(self.faq_printer, "1")
        self.assertEqual(response.status_code, 200)
        self.assertIn("gracias=1", response.url)
        self.assertEqual(self.faq_printer.helpful_count, 1)
        # one vote per FAQ and visitor session
        self._vote(self.faq_printer, "0")
        self.assertEqual(
            (self.faq_printer.helpful_count, self.faq_printer.not_helpful_count), (1, 0)
        )
        self._vote(self.faq_password, "0")
        self.assertEqual(self.faq_password.not_helpful_count, 1)
        # unpublished FAQs and bad values count nothing
        self._vote(self.faq_hidden, "1")
        self.assertEqual(self.faq_hidden.helpful_count, 0)
        self._vote(self.faq_printer, "maybe")
        self.assertEqual(self.faq_printer.helpful_count, 1)

    def test_vote_needs_csrf(self):
        response = self.url_open(f"/soporte/faq/{self.faq_printer.id}/votar", data={"helpful": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.faq_printer.helpful_count, 0)

    def test_escalation_prefills_the_intake_form(self):
        result = self.ask(
            'Mi DNI es 45871236 y la impresora no imprime <script>alert("x")</script>'
        )
        url = result["escalate_url"]
        query = parse_qs(urlsplit(url).query)
        self.assertIn("[DNI]", query["title"][0])
        self.assertNotIn("45871236", url)
        html = self.url_open(url).text
        self.assertRegex(html, r'id="itims_title"[^>]*value="Mi DNI es \[DNI\] y la impresora')
        self.assertRegex(html, r'id="itims_description"[^>]*>Mi DNI es \[DNI\] y la impresora')
        self.assertIn("Mi DNI es [DNI] y la impresora no imprime", html)
        self.assertNotIn('<script>alert("x")', html)
        self.assertIn("&lt;script&gt;", html)
        # the plain form still works, unknown or bad parameters are ignored
        self.assertEqual(self.url_open("/soporte").status_code, 200)
        self.assertEqual(self.url_open("/soporte?title=" + "t" * 5000).status_code, 200)

    def test_widget_on_pages(self):
        html = self.url_open("/").text
        self.assertIn('id="itims_chatbot"', html)
        self.assertIn('aria-live="polite"', html)
        self.assertIn('href="/soporte/faq"', html)

    def test_backend_access(self):
        from odoo.exceptions import AccessError
        from odoo.tests import new_test_user

        tech = new_test_user(self.env, "cb_tech", groups="helpdesk_itims.group_itims_technician")
        monitor = new_test_user(self.env, "cb_monitor", groups="helpdesk_itims.group_itims_monitor")
        employee = new_test_user(self.env, "cb_employee", groups="base.group_user")
        faq = self.faq_printer.with_user(tech)
        faq.write({"keywords": "cola"})
        self.assertTrue(faq.with_user(monitor).name)
        self.assertFalse(
            self.env["itims.faq"].with_user(employee).search([("id", "=", self.faq_hidden.id)])
        )
        with self.assertRaises(AccessError):
            self.faq_printer.with_user(employee).write({"name": "x"})
        with self.assertRaises(AccessError):
            self.env["itims.chatbot.interaction"].with_user(tech).search([])
        self.ask("La impresora no imprime")
        self.assertTrue(self.env["itims.chatbot.interaction"].with_user(monitor).search([]))

    def test_settings_never_show_the_key(self):
        settings = self.env["res.config.settings"].create({})
        self.assertFalse(settings.itims_chatbot_api_key)
        self.assertTrue(settings.itims_chatbot_api_key_set)
        settings.write({"itims_chatbot_api_key": " sk-new "})
        settings.execute()
        self.assertEqual(self.ICP.get_param("helpdesk_itims_chatbot.api_key"), "sk-new")
        settings = self.env["res.config.settings"].create({})
        self.assertFalse(settings.itims_chatbot_api_key)
        settings.execute()  # an empty field keeps the key
        self.assertEqual(self.ICP.get_param("helpdesk_itims_chatbot.api_key"), "sk-new")
        self.env["res.config.settings"].create({"itims_chatbot_api_key_clear": True}).execute()
        self.assertFalse(self.ICP.get_param("helpdesk_itims_chatbot.api_key"))


@tagged("post_install", "-at_install")
class TestChatbotSpanish(ChatbotCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from odoo.addons.helpdesk_itims.tests.common import activate_spanish

        spanish = activate_spanish(
            cls.env, ["helpdesk_itims", "helpdesk_itims_chatbot"], overwrite=True
        )
        cls.website.language_ids |= spanish

    def test_pages_and_answers_in_spanish(self):
        html = self.url_open("/es/soporte/faq").text
        self.assertIn("Resuelva usted mismo los problemas de TI más comunes", html)
        self.assertIn("¿Le sirvió?", html)
        self.assertIn("¿Necesita ayuda?", html)
        self.assertIn("No escriba datos personales", html)
        self.ICP.set_param("helpdesk_itims_chatbot.api_key", False)
        self.authenticate(None, None)
        result = self.make_jsonrpc_request(
            "/es/itims/chatbot/ask", {"message": "¿Cuál es el horario del comedor?"}
        )
        self.assertEqual(result["outcome"], "escalated")
        self.assertIn("Cree un ticket", result["answer"])
