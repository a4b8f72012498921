"""Tickets from forms built in Odoo's website editor (action "Report an IT
incident"): every submission goes through the intake's own validation, rate
limit and file checks, never through the form builder's generic create."""

import json
import logging

from odoo import http
from odoo.http import request
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from odoo.addons.website.controllers.form import WebsiteForm

from .intake import ItimsIntakeValidation

_logger = logging.getLogger(__name__)

TICKET_MODEL = "helpdesk.ticket"
# the whitelisted ticket fields a form may post (data/website_form_data.xml)
# and the intake field each one is validated as; anything else is ignored
FORM_FIELDS = {
    "requester_national_id": "national_id",
    "name": "title",
    "description": "description",
    "category_id": "category_id",
    "requester_phone": "phone",
    "partner_email": "email",
}
# the session key of the last ticket created from a form, for its success page
SESSION_KEY = "itims_form_ticket"


class ItimsWebsiteForm(ItimsIntakeValidation, WebsiteForm):
    def _handle_website_form(self, model_name, **kwargs):
        if model_name != TICKET_MODEL:
            return super()._handle_website_form(model_name, **kwargs)
        return json.dumps(self._itims_ticket_form(kwargs))

    def _uploads(self):
        # the editor names file fields after their label ("Adjuntar archivo[0][0]")
        return [
            upload for upload in request.httprequest.files.values() if upload and upload.filename
        ]

    def _itims_ticket_form(self, kwargs):
        """The form builder's answer ({id} or {error, error_fields}) for a
        ticket submission."""
        limited = self._submit_rate_limited()
        if limited:
            return {"error": limited}
        post = {
            intake: kwargs[field]
            for field, intake in FORM_FIELDS.items()
            if isinstance(kwargs.get(field), str)
        }
        vals, files, errors, employee = self._validate_submission(post)
        if {"requester_name", "office_id", "office_other"} & errors.keys():
            # an unregistered requester the institution accepts must give a name
            # and an office, which only /soporte asks for
            errors = {
                "national_id": request.env._(
                    "This national ID is not registered. Report your incident from "
                    "the support page (/soporte)."
                )
            }
        if errors:
            back = {intake: field for field, intake in FORM_FIELDS.items()}
            return {
                "error": " ".join(dict.fromkeys(str(message) for message in errors.values())),
                "error_fields": [back[name] for name in errors if name in back],
            }
        try:
            ticket, token = self._create_submission(vals, files)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # Odoo replays the request
        except Exception:
            _logger.exception("Website form submission from %s not saved", self._client_key())
            return {
                "error": request.env._(
                    "Your incident could not be saved. Nothing was recorded: please "
                    "try again in a few minutes."
                )
            }
        request.session[SESSION_KEY] = self._confirmation_values(ticket, token, employee)
        # what Odoo's own handler leaves for the form's success page
        request.session["form_builder_model_model"] = TICKET_MODEL
        request.session["form_builder_model"] = ticket._description
        request.session["form_builder_id"] = ticket.id
        return {"id": ticket.id}

    @http.route(
        "/soporte/enviado", type="http", auth="public", website=True, methods=["GET"], sitemap=False
    )
    def ticket_form_sent(self, /, **kwargs):
        """The success page of the editor's ticket forms: the ticket's number and
        tracking link, as /soporte/enviar shows them."""
        values = request.session.get(SESSION_KEY)
        if not isinstance(values, dict):
            return request.redirect("/soporte")
        return request.render("helpdesk_itims.intake_confirmation", values)
