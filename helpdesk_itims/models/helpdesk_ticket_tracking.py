"""The requester's tracking link: ITIMS's own secret, not the portal token.

The link's token opens the details of a ticket on /soporte/seguimiento (title,
description, resolution note, history); ticket number + national ID shows only
the state and its dates. Only the SHA-256 of the token is stored, with an
expiry; a reopened ticket gets a new token (the old link stops working).
"""

import hashlib
import logging
import secrets
from datetime import timedelta
from urllib.parse import urlencode

from odoo import api, fields, models
from odoo.tools import consteq

from .helpdesk_ticket import CLOSING_STATES
from .itims_assignment import OPEN_STATES

_logger = logging.getLogger(__name__)

TOKEN_DAYS_PARAM = "helpdesk_itims.tracking_token_days"
TOKEN_DAYS_DEFAULT = 180
TOKEN_DAYS_MAX = 3650
# 32 random bytes: 256 bits, 43 URL-safe characters
TOKEN_BYTES = 32
TOKEN_MAX_LENGTH = 128


def _token_hash(token):
    # "replace": a visitor may send lone surrogates, which never match anyway
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


# Kept apart from helpdesk_ticket.py (over 400 lines already): the tracking link.
# pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    itims_tracking_token_hash = fields.Char(
        string="Tracking Token Hash", copy=False, readonly=True, groups="base.group_system"
    )
    itims_tracking_token_expiry = fields.Datetime(
        string="Tracking Link Expiry", copy=False, readonly=True, groups="base.group_system"
    )

    @api.model
    def _itims_tracking_token_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param(TOKEN_DAYS_PARAM)
        if not value:
            return TOKEN_DAYS_DEFAULT
        try:
            days = int(value)
            if not 0 < days <= TOKEN_DAYS_MAX:
                raise ValueError(value)
        except ValueError:
            _logger.warning(
                "Invalid value %r for %s, using %s", value, TOKEN_DAYS_PARAM, TOKEN_DAYS_DEFAULT
            )
            days = TOKEN_DAYS_DEFAULT
        return days

    def _itims_new_tracking_token(self):
        """Give the ticket a new tracking token and return it (in clear, once:
        only its hash is stored); any previous link stops working."""
        self.ensure_one()
        token = secrets.token_urlsafe(TOKEN_BYTES)
        expiry = fields.Datetime.now() + timedelta(days=self._itims_tracking_token_days())
        # sudo: the hash is readable by no one; the caller holds the ticket
        self.sudo().write(
            {"itims_tracking_token_hash": _token_hash(token), "itims_tracking_token_expiry": expiry}
        )
        return token

    def _itims_check_tracking_token(self, token):
        """Whether ``token`` is this ticket's current, unexpired tracking token."""
        self.ensure_one()
        if not isinstance(token, str) or not token or len(token) > TOKEN_MAX_LENGTH:
            return False
        ticket = self.sudo()
        expected = ticket.itims_tracking_token_hash
        if not expected or not ticket.itims_tracking_token_expiry:
            return False
        if ticket.itims_tracking_token_expiry < fields.Datetime.now():
            return False
        return consteq(expected, _token_hash(token))

    def _itims_tracking_url(self, token=None, absolute=False):
        """The tracking page of this ticket: with ``token``, the details link."""
        self.ensure_one()
        params = {"ticket": self.number}
        if token:
            params["token"] = token
        path = f"/soporte/seguimiento?{urlencode(params)}"
        return self.get_base_url() + path if absolute else path

    def _itims_send_tracking_link(self, token, reopened=False):
        """Mail the tracking link to the requester's work email, if any."""
        self.ensure_one()
        template = self.env.ref(
            "helpdesk_itims.mail_template_ticket_received", raise_if_not_found=False
        )
        # sudo: the requester's work email is HR data; the mail goes to them only
        email = self.sudo().requester_id.work_email
        if not template or not email:
            return False
        # sudo: rendering reads the ticket; the mail goes through the queue
        template.sudo().with_context(
            itims_tracking_url=self._itims_tracking_url(token, absolute=True),
            itims_reopened=reopened,
        ).send_mail(self.id, force_send=False)
        return True

    def write(self, vals):
        if "stage_id" not in vals:
            return super().write(vals)
        closed = self.filtered(lambda ticket: ticket.itims_state in CLOSING_STATES)
        res = super().write(vals)
        for ticket in closed.filtered(lambda ticket: ticket.itims_state in OPEN_STATES):
            # reopened: whoever held the old link (forwarded, shared) loses it
            ticket._itims_send_tracking_link(ticket._itims_new_tracking_token(), reopened=True)
        return res
