import json
import logging
import re

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request
from odoo.tools import consteq

_logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MAX_UPDATE_SIZE = 1024 * 1024


class TelegramController(http.Controller):
    @http.route(
        "/itims/telegram/webhook",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,  # Telegram's server calls it; the secret header authenticates it
        save_session=False,
    )
    def webhook(self, **kwargs):
        """Telegram updates. A wrong or missing secret: 403, nothing changes. Any
        other request gets 200 (Telegram retries anything else for hours), with
        the immediate answer (a Bot API method) in the body when there is one."""
        # sudo: reading the bot's own secret, to authenticate the caller
        secret = (
            request.env["ir.config_parameter"]
            .sudo()
            .get_param("helpdesk_itims_telegram.webhook_secret")
        )
        given = request.httprequest.headers.get(SECRET_HEADER, "")
        if not secret or not consteq(secret, given):
            _logger.warning("Telegram webhook called without the right secret")
            return request.make_response("Forbidden", status=403)
        answer = None
        if (request.httprequest.content_length or 0) > MAX_UPDATE_SIZE:
            _logger.warning("Telegram webhook: update too large, ignored")
            return request.make_json_response({})
        # cached: a request replayed after a serialization failure reads it again
        body = request.httprequest.get_data()
        try:
            data = json.loads(body)
        except ValueError:
            _logger.warning("Telegram webhook: the body is not JSON")
        else:
            # sudo: the caller is Telegram, authenticated above; the update handler
            # checks every id it reads against the linked technician
            answer = request.env["itims.telegram.update"].sudo()._itims_process(data)
        return request.make_json_response(answer or {})

    @http.route("/itims/t/<string:token>", type="http", auth="user", methods=["GET"])
    def tracked_link(self, token, **kwargs):
        """The "View ticket" link: the notification was opened (and, for a technician, the
        ticket got its first response), then the ticket's form."""
        if not TOKEN.match(token):
            raise NotFound()
        # sudo: the token (128+ random bits, validated above) is the only key
        message = (
            request.env["itims.telegram.message"]
            .sudo()
            .search([("link_token", "=", token)], limit=1)
        )
        if not message or not message.ticket_id:
            raise NotFound()
        message._itims_mark_opened()
        ticket = message.ticket_id
        if request.env.user._itims_is_technician():
            ticket._itims_mark_first_response()
        return request.redirect(f"/odoo/helpdesk.ticket/{ticket.id}")
