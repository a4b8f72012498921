import logging

from odoo import models
from odoo.http import request

_logger = logging.getLogger(__name__)


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _handle_error(cls, exception):
        """Public JSON routes of ITIMS (/itims/...) never send a traceback.

        Odoo's JSON-RPC error carries the server traceback (``data.debug``); a
        malformed call from a visitor (e.g. params that are not an object) fails
        in the framework before the controller runs. Internal users keep the
        standard error; visitors get a neutral one and the log keeps the detail.
        """
        response = super()._handle_error(exception)
        dispatcher = getattr(request, "dispatcher", None)
        if (
            getattr(dispatcher, "routing_type", None) != "json"
            or not request.httprequest.path.startswith("/itims/")
            or (request.session.uid and request.env.user._is_internal())
        ):
            return response
        _logger.info("Rejected public JSON call to %s: %s", request.httprequest.path, exception)
        return request.make_json_response(
            {
                "jsonrpc": "2.0",
                "id": getattr(dispatcher, "request_id", None),
                "error": {
                    "code": 400,
                    "message": "Invalid request",
                    "data": {"name": "invalid_request", "message": "Invalid request"},
                },
            }
        )
