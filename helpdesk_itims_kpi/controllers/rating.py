# Copyright 2026 ITIMS contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The requester rates a resolved ticket from 1 to 5 through Odoo's own rating
routes (/rate/<token>/<rate>), which accept only 1, 3 and 5 (three smileys):
for the ratings of helpdesk tickets they accept the five values."""

import werkzeug

from odoo import http
from odoo.http import request
from odoo.tools.misc import get_lang

from odoo.addons.rating.controllers.main import Rating

TICKET_RATES = (1, 2, 3, 4, 5)


class ItimsRating(Rating):
    def _itims_ticket_rating(self, token):
        """The rating of a helpdesk ticket behind ``token``, else an empty record."""
        if not isinstance(token, str) or not token:
            return request.env["rating.rating"]
        # sudo: the visitor holds the token, which is the only right to rate
        rating_sudo = (
            request.env["rating.rating"].sudo().search([("access_token", "=", token)], limit=1)
        )
        return rating_sudo if rating_sudo.res_model == "helpdesk.ticket" else rating_sudo[:0]

    def _itims_rate(self, rate):
        try:
            rate = int(rate)
        except (TypeError, ValueError):
            rate = 0
        if rate not in TICKET_RATES:
            raise werkzeug.exceptions.BadRequest(
                request.env._("A rating is a whole number from 1 to 5.")
            )
        return rate

    def _itims_rate_names(self):
        return {
            5: request.env._("Very satisfied"),
            4: request.env._("Satisfied"),
            3: request.env._("Okay"),
            2: request.env._("Dissatisfied"),
            1: request.env._("Very dissatisfied"),
        }

    @http.route()
    def action_open_rating(self, token, rate, **kwargs):
        if not self._itims_ticket_rating(token):
            return super().action_open_rating(token, rate, **kwargs)
        rate = self._itims_rate(rate)
        rating, _record_sudo = self._get_rating_and_record(token)
        lang = rating.partner_id.lang or get_lang(request.env).code
        return (
            request.env["ir.ui.view"]
            .with_context(lang=lang)
            ._render_template(
                "rating.rating_external_page_submit",
                {
                    "rating": rating,
                    "token": token,
                    "rate_names": self._itims_rate_names(),
                    "rate": rate,
                },
            )
        )

    @http.route()
    def action_submit_rating(self, token, rate=0, **kwargs):
        if not self._itims_ticket_rating(token):
            return super().action_submit_rating(token, rate=rate, **kwargs)
        rating, record_sudo = self._get_rating_and_record(token)
        if request.httprequest.method == "POST":
            record_sudo.rating_apply(
                self._itims_rate(rate),
                rating=rating,
                feedback=kwargs.get("feedback"),
                subtype_xmlid=None,
            )
        lang = rating.partner_id.lang or get_lang(request.env).code
        return (
            request.env["ir.ui.view"]
            .with_context(lang=lang)
            ._render_template(
                "rating.rating_external_page_view",
                {"web_base_url": rating.get_base_url(), "rating": rating},
            )
        )
