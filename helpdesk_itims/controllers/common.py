"""What the public intake and tracking routes share.

Visitors have no account: every route reads as the public user and switches to
sudo() only for the one narrow operation it needs, after validating every value
the client sent. No route lets an exception reach the visitor, and none returns
personal data beyond a masked name and an office.
"""

import logging

import pytz

from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from ..models.itims_rate_limit import client_key

# one decision per scope and HTTP request: Odoo replays a request after a
# serialization failure, and a replay is not a new attempt of the visitor
RATE_LIMIT_ENVIRON_KEY = "itims.rate_limit"
CAPTCHA_ENVIRON_KEY = "itims.captcha"
# the fields Odoo's captcha modules post their token in (google_recaptcha,
# website_cf_turnstile): never form values of ours
CAPTCHA_FIELDS = ("recaptcha_token_response", "turnstile_captcha")

_logger = logging.getLogger(__name__)


class ItimsPublicMixin:
    """Helpers of the public controllers (not a controller: no route here)."""

    def _company(self):
        return request.website.company_id

    def _client_key(self):
        # behind a reverse proxy, Odoo's --proxy-mode puts the client's address
        # (X-Forwarded-For) here, see the README
        return client_key(request.httprequest.remote_addr)

    def _check_rate_limit(self, scope):
        """Count this request as an attempt on ``scope``; False when over the limit."""
        decisions = request.httprequest.environ.setdefault(RATE_LIMIT_ENVIRON_KEY, {})
        if scope not in decisions:
            # sudo: visitors have no access at all to the counters
            decisions[scope] = (
                request.env["itims.rate.limit"].sudo()._hit(scope, self._client_key())
            )
        return decisions[scope]

    def _captcha_passed(self, action):
        """Whether this request passes the captcha the institution installed.

        Odoo's captcha modules (google_recaptcha, website_cf_turnstile) each
        extend ``ir.http._verify_request_recaptcha_token``: it reads their token
        from the request and answers True when no key is configured, so the
        check costs nothing without a captcha and needs no code of ours per
        provider. A provider's refusal may also be raised (invalid or expired
        token): either way the visitor gets the form back. One decision per HTTP
        request: a token is valid once, and Odoo replays a request after a
        serialization failure.
        """
        decisions = request.httprequest.environ.setdefault(CAPTCHA_ENVIRON_KEY, {})
        if action not in decisions:
            try:
                decisions[action] = bool(
                    request.env["ir.http"]._verify_request_recaptcha_token(action)
                )
            except (UserError, ValidationError) as error:
                _logger.info(
                    "Captcha refused a %s request from %s: %s",
                    action,
                    self._client_key(),
                    error.args[0] if error.args else error,
                )
                decisions[action] = False
        return decisions[action]

    def _captcha_error(self):
        return request.env._(
            "We could not verify that this request comes from a person. Reload the "
            "page and try again."
        )

    def _find_employee(self, national_id):
        """The employee of the website's company with this (validated) national ID."""
        if not national_id:
            return request.env["hr.employee"]
        # sudo: identification_id is a private HR field and visitors have no
        # access to employees; the value was validated against the company's
        # national ID format and only an exact match is read
        return (
            request.env["hr.employee"]
            .sudo()
            .search(
                [
                    ("identification_id", "=", national_id),
                    ("company_id", "=", self._company().id),
                ],
                limit=1,
            )
        )

    def _visitor_tz(self):
        # the browser's time zone (cookie set by the website's JS), else the
        # institution's; sudo: visitors may not read the company's partner
        tz = request.httprequest.cookies.get("tz")
        if tz in pytz.all_timezones_set:
            return tz
        return self._company().sudo().partner_id.tz or "UTC"
