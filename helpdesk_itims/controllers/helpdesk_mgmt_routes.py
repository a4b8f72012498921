"""helpdesk_mgmt's own website and portal routes, under ITIMS's rules.

helpdesk_mgmt serves a ticket form (/new/ticket, /submitted/ticket), a close
button (/ticket/close) and a portal page per ticket (/my/ticket/<id>). In ITIMS:
- tickets are created through the public intake (/soporte) only, which
  validates, rate-limits and checks files: the two creation routes send there;
- a ticket is closed by whoever may write it, with a POST carrying the CSRF
  token, through the ticket's resolution-notes rule (``_itims_close``);
- the portal ``access_token`` no longer opens the portal page: its holder is sent
  to the public tracking page; a logged-in reader sees the ticket without the
  technician's contact details, the desk's attachments or a chatter.
"""

from urllib.parse import urlencode

from werkzeug.exceptions import BadRequest, NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk

INTAKE_URL = "/soporte"
TRACKING_URL = "/soporte/seguimiento"


def _record_id(value):
    """A positive database id sent by the client, or None."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        number = int(value)
        return number if 0 < number < 2**31 else None
    return None


class ItimsHelpdeskTicketController(HelpdeskTicketController):
    @http.route(
        "/ticket/close",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
        csrf=True,
    )
    def support_ticket_close(self, ticket_id=None, stage_id=None, resolution_notes=None, **kw):
        """Resolve or cancel a ticket, as the current user.

        The target is given as a closing stage (helpdesk_mgmt's form) and the
        actions performed as ``resolution_notes``. No sudo: the record rules
        decide (403 for a ticket the user may not write, a Monitor for one), and
        ``_itims_close`` refuses a non-closing state or empty notes (400).
        """
        ticket_ref, stage_ref = _record_id(ticket_id), _record_id(stage_id)
        if not ticket_ref or not stage_ref:
            raise BadRequest(request.env._("Choose a ticket and a closing stage."))
        ticket = request.env["helpdesk.ticket"].browse(ticket_ref).exists()
        if not ticket:
            raise NotFound()
        ticket.check_access("write")
        stage = request.env["helpdesk.ticket.stage"].browse(stage_ref).exists()
        notes = resolution_notes if isinstance(resolution_notes, str) else ""
        ticket._itims_close(stage.itims_state, notes)
        return request.redirect(f"/my/ticket/{ticket.id}", code=303)

    @http.route("/new/ticket", type="http", auth="public", website=True)
    def create_new_ticket(self, **kw):
        # the intake form is the one way in: validation, rate limits, file checks
        return request.redirect(INTAKE_URL, code=303)

    @http.route("/submitted/ticket", type="http", auth="public", website=True, csrf=True)
    def submit_ticket(self, **kw):
        # nothing is stored: helpdesk_mgmt's form created tickets as sudo with
        # none of the intake's checks
        return request.redirect(INTAKE_URL, code=303)


class ItimsCustomerPortalHelpdesk(CustomerPortalHelpdesk):
    @http.route(["/my/ticket/<int:ticket_id>"], type="http", auth="public", website=True)
    def portal_my_ticket(self, ticket_id, access_token=None, **kw):
        ticket = request.env["helpdesk.ticket"].browse(ticket_id)
        if request.env.user._is_public() or not ticket.exists() or not ticket.has_access("read"):
            return self._itims_token_redirect(ticket_id, access_token)
        # sudo: the page reads the stage, category and partner the reader may
        # not read; what it shows of the ticket is filtered below and in the
        # template (no contact details, no internal attachment, no chatter)
        ticket_sudo = ticket.sudo()
        attachments = ticket_sudo._itims_portal_attachments()
        for attachment in attachments:
            attachment.generate_access_token()
        values = self._ticket_get_page_view_values(ticket_sudo, access_token, **kw)
        return request.render("helpdesk_mgmt.portal_helpdesk_ticket_page", values)

    def _itims_token_redirect(self, ticket_id, access_token):
        """Access by the portal token alone: to the public tracking page, which
        has its own token. An invalid token learns nothing (as upstream: /my)."""
        try:
            ticket_sudo = self._document_check_access(
                "helpdesk.ticket", ticket_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        query = urlencode({"ticket": ticket_sudo.number})
        return request.redirect(f"{TRACKING_URL}?{query}", code=303)

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        values.update(
            {
                # closing is the desk's, with resolution notes (/ticket/close)
                "closed_stages": ticket.stage_id.browse(),
                "itims_assignee_first_name": ticket._itims_assignee_first_name(),
                "itims_attachments": ticket._itims_portal_attachments(),
            }
        )
        return values
