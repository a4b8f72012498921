from odoo.tests import HttpCase

from odoo.addons.helpdesk_itims.tests.common import QUIET_CONTEXT

from .fake_openrouter import FakeOpenRouter

MODELS = [
    "meta-llama/llama-3.3-8b-instruct:free",
    "google/gemini-2.0-flash-exp:free",
    "mistralai/mistral-small-3.1:free",
    "google/gemma-3-27b-it:free",
]


class ChatbotCase(HttpCase):
    """A company with its own FAQs (no demo data relied on), a fake OpenRouter
    recording every request, the assistant configured to use it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **QUIET_CONTEXT))
        cls.website = cls.env.ref("website.default_website")
        cls.company = cls.website.company_id
        # only this test's FAQs and interactions exist
        cls.env["itims.faq"].with_context(active_test=False).search([]).unlink()
        cls.env["itims.chatbot.interaction"].search([]).unlink()
        cls.env["itims.chatbot.model.state"].search([]).unlink()
        cls.env["itims.rate.limit"].sudo().search([]).unlink()
        Faq = cls.env["itims.faq"]
        cls.category_printer = cls.env.ref("helpdesk_itims.helpdesk_ticket_category_printer")
        cls.faq_printer = Faq.create(
            {
                "name": "La impresora no imprime y los trabajos quedan en cola",
                "keywords": "cola de impresión, spooler",
                "category_id": cls.category_printer.id,
                "answer": "<ol><li>Encienda la impresora.</li>"
                "<li>Vacíe la cola de impresión.</li></ol>",
                "company_id": cls.company.id,
            }
        )
        cls.faq_password = Faq.create(
            {
                "name": "Olvidé mi contraseña del correo",
                "keywords": "clave, restablecer",
                "category_id": cls.env.ref("helpdesk_itims.helpdesk_ticket_category_email").id,
                "answer": "<ol><li>Use «¿Olvidó su contraseña?».</li>"
                "<li>Si no puede, cree un ticket.</li></ol>",
                "company_id": cls.company.id,
            }
        )
        cls.faq_hidden = Faq.create(
            {
                "name": "Borrador interno sobre la impresora del almacén",
                "answer": "<p>No publicado</p>",
                "is_published": False,
                "company_id": cls.company.id,
            }
        )
        cls.fake = FakeOpenRouter(slow_seconds=3.0).start()
        cls.addClassCleanup(cls.fake.stop)
        cls.ICP = cls.env["ir.config_parameter"].sudo()
        cls.ICP.set_param("helpdesk_itims_chatbot.api_key", "sk-or-v1-TESTKEY")
        cls.ICP.set_param("helpdesk_itims_chatbot.api_base_url", cls.fake.base_url)
        cls.ICP.set_param("helpdesk_itims_chatbot.models", ",".join(MODELS))
        cls.ICP.set_param("helpdesk_itims_chatbot.rate_limit", "1000/600")
        cls.ICP.set_param("helpdesk_itims_chatbot.timeout", "2")

    def setUp(self):
        super().setUp()
        self.fake.requests.clear()
        self.fake.scripts.clear()
        self.fake.default = "ok"

    def ask(self, message, history=None):
        params = {"message": message}
        if history is not None:
            params["history"] = history
        return self.make_jsonrpc_request("/itims/chatbot/ask", params)

    def interactions(self):
        return self.env["itims.chatbot.interaction"].search([], order="id")
