"""Public side of the assistant: the FAQ pages, the helpful votes, the chat
route and the prefilled incident form it escalates to.

Every route reads as the visitor; the rare sudo() is commented and bound to a
validated value. No route lets an exception reach the visitor.
"""

import logging

from odoo import http
from odoo.http import request

from odoo.addons.helpdesk_itims.controllers.common import ItimsPublicMixin
from odoo.addons.helpdesk_itims.controllers.intake import (
    DESCRIPTION_MAX,
    TITLE_MAX,
    ItimsIntakeController,
)

_logger = logging.getLogger(__name__)

MESSAGE_MAX = 1000
HISTORY_MAX = 6
SEARCH_MAX = 200
FAQ_PAGE_SIZE = 50
VOTED_SESSION_KEY = "itims_faq_voted"


def clean_text(value, limit):
    """The stripped string without NUL characters, or None if not a string."""
    if not isinstance(value, str):
        return None
    value = value.replace("\x00", "").strip()
    return value[:limit] if limit else value


class ItimsChatbotController(ItimsPublicMixin, http.Controller):
    # ------------------------------------------------------------------
    # FAQ pages
    # ------------------------------------------------------------------

    def _published_faqs(self):
        return request.env["itims.faq"].search(
            [("is_published", "=", True), ("company_id", "in", [False, self._company().id])],
            limit=FAQ_PAGE_SIZE,
        )

    @http.route(
        "/soporte/faq", type="http", auth="public", website=True, methods=["GET"], sitemap=True
    )
    def faq_page(self, /, q=None, **kwargs):
        query = clean_text(q, SEARCH_MAX) or ""
        if query:
            faqs = request.env["itims.faq"]._itims_search(
                query, limit=FAQ_PAGE_SIZE, company=self._company()
            )
        else:
            faqs = self._published_faqs()
        return request.render(
            "helpdesk_itims_chatbot.faq_page",
            {
                "faqs": faqs,
                "query": query,
                "voted": request.session.get(VOTED_SESSION_KEY) or [],
                "thanks": kwargs.get("gracias") == "1",
            },
        )

    @http.route(
        "/soporte/faq/<int:faq_id>/votar",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def faq_vote(self, /, faq_id, helpful=None, **kwargs):
        faq = request.env["itims.faq"].search([("id", "=", faq_id), ("is_published", "=", True)])
        if not faq or helpful not in ("1", "0"):
            return request.redirect("/soporte/faq")
        voted = list(request.session.get(VOTED_SESSION_KEY) or [])
        if faq.id not in voted and self._check_rate_limit("chatbot"):
            # sudo: a visitor's vote only adds one to this published FAQ's counter
            faq.sudo()._itims_count("helpful_count" if helpful == "1" else "not_helpful_count")
            request.session[VOTED_SESSION_KEY] = (voted + [faq.id])[-200:]
        return request.redirect(f"/soporte/faq?gracias=1#faq-{faq.id}")

    # ------------------------------------------------------------------
    # Assistant
    # ------------------------------------------------------------------

    def _reply(self, answer, outcome, escalate_url="/soporte"):
        return {"answer": answer, "outcome": outcome, "escalate_url": escalate_url}

    def _clean_history(self, history):
        """The last turns as [{"role", "content"}]; anything that is not a user
        or assistant turn with text (a forged "system" role...) is dropped."""
        turns = []
        for turn in history if isinstance(history, list) else []:
            if not isinstance(turn, dict) or turn.get("role") not in ("user", "assistant"):
                continue
            content = clean_text(turn.get("content"), MESSAGE_MAX)
            if content:
                turns.append({"role": turn["role"], "content": content})
        return turns[-HISTORY_MAX:]

    @http.route(
        "/itims/chatbot/ask", type="json", auth="public", website=True, methods=["POST"], csrf=False
    )
    def chatbot_ask(self, /, message=None, history=None, **kwargs):
        env = request.env
        chatbot = env["itims.chatbot"]
        if not self._check_rate_limit("chatbot"):
            chatbot._itims_record({"outcome": "rate_limited"})
            return self._reply(
                env._("You have asked many questions in a short time. Wait a few minutes."),
                "rate_limited",
            )
        text = clean_text(message, 0)
        problem = None
        if text is None or not text:
            problem = env._("Write your question.")
        elif len(text) > MESSAGE_MAX:
            problem = env._("Your question may have at most %s characters.", MESSAGE_MAX)
        elif history is not None and not isinstance(history, list):
            problem = env._("The conversation could not be read. Reload the page.")
        if problem:
            chatbot._itims_record({"outcome": "refused"})
            return self._reply(problem, "refused")
        try:
            with env.cr.savepoint():
                return chatbot._itims_ask(text, self._clean_history(history))
        except Exception:
            _logger.exception("The assistant failed to answer")
            chatbot._itims_record({"outcome": "error"})
            return self._reply(
                env._("The assistant cannot answer right now. Create a ticket instead."),
                "error",
            )


class ItimsIntakePrefill(ItimsIntakeController):
    """/soporte accepts ?title=&description= to prefill the form (the
    assistant's "Create ticket"); QWeb escapes them like any value."""

    @http.route()
    def intake_form(self, /, **kwargs):
        values = {}
        title = clean_text(kwargs.get("title"), TITLE_MAX)
        description = clean_text(kwargs.get("description"), DESCRIPTION_MAX)
        if title:
            values["title"] = title
        if description:
            values["description"] = description
        if not values:
            return super().intake_form(**kwargs)
        return self._render_form(values=values)
