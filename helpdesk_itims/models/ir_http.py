import logging

from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest, HTTPException

from odoo import models
from odoo.http import request

_logger = logging.getLogger(__name__)


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _pre_dispatch(cls, rule, args):
        res = super()._pre_dispatch(rule, args)
        endpoint = getattr(rule.endpoint, "original_endpoint", rule.endpoint)
        routing_type = getattr(getattr(request, "dispatcher", None), "routing_type", None)
        if routing_type == "http" and endpoint.__module__.startswith("odoo.addons.helpdesk_itims."):
            cls._itims_parse_form()
        return res

    @classmethod
    def _itims_parse_form(cls):
        """Parse the body of a form post to ITIMS's public pages up front.

        Werkzeug 2.2 fails on some malformed bodies (``multipart/form-data;
        boundary=`` raises AttributeError) when Odoo reads the parameters, and
        again in Odoo's error handler, which reads them too: a bare 500; and
        Odoo's CSRF check fails on a token sent as a file part. Such a body is a
        bad request: the visitor gets 400.
        """
        httprequest = request.httprequest
        try:
            httprequest.form  # noqa: B018 - parses the body once, cached
        except HTTPException:
            raise  # e.g. 413, a body over the route's max_content_length
        except Exception as error:
            _logger.info("Malformed body posted to %s: %r", httprequest.path, error)
            httprequest._HTTPRequest__wrapped.__dict__.update(
                form=ImmutableMultiDict(), files=ImmutableMultiDict()
            )
            raise BadRequest("Malformed request body") from error
        wrapped = httprequest._HTTPRequest__wrapped
        for attr in ("args", "form", "files"):
            data = getattr(httprequest, attr)
            if "self" in data:
                # Odoo calls the route as route_wrapper(self, **params): a field
                # named "self" would collide with it (TypeError); it is no field
                # of ours, drop it
                wrapped.__dict__[attr] = ImmutableMultiDict(
                    [(key, value) for key, value in data.items(multi=True) if key != "self"]
                )
        if "csrf_token" in httprequest.files:
            # Odoo's CSRF check expects text and fails on a file: refuse it first
            raise BadRequest("Malformed CSRF token")

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
