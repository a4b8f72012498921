"""Public ticket tracking (/soporte/seguimiento).

Ticket number + national ID shows the state of the ticket and its dates (and the
technician's first name): a DNI is no secret in Peru and numbers are sequential.
The link of the confirmation page and e-mail carries the ticket's tracking token
and shows the details: title, description, resolution note and history.
"""

from odoo import http
from odoo.http import request
from odoo.tools import consteq, format_datetime

from ..models.helpdesk_ticket import CLOSING_STATES
from .common import ItimsPublicMixin

TICKET_NUMBER_MAX = 64
HISTORY_MAX = 50
# the action name the tracking form's captcha token is asked for
CAPTCHA_ACTION_TRACKING = "itims_tracking"


class ItimsTrackingController(ItimsPublicMixin, http.Controller):
    @http.route(
        "/soporte/seguimiento",
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        sitemap=False,
        # read-only: the same lookup is served on GET, so a CSRF token would
        # protect nothing; the attempt counter is the only write
        csrf=False,
    )
    def tracking(self, /, ticket=None, national_id=None, token=None, **kwargs):
        number = ticket.strip() if isinstance(ticket, str) else ""
        values = {"ticket": number[:TICKET_NUMBER_MAX].replace("\x00", "")}
        if not number:
            return request.render("helpdesk_itims.tracking_page", {"values": values})
        if not self._check_rate_limit("tracking"):
            error = request.env._(
                "Too many attempts from your connection. Please wait a few minutes and try again."
            )
            return request.render(
                "helpdesk_itims.tracking_page", {"values": values, "error": error}, status=429
            )
        if not (isinstance(token, str) and token) and not self._captcha_passed(
            CAPTCHA_ACTION_TRACKING
        ):
            # a number and a national ID can be guessed; a link's token cannot
            return request.render(
                "helpdesk_itims.tracking_page",
                {"values": values, "error": self._captcha_error()},
                status=400,
            )
        ticket_sudo, full = self._find_tracked_ticket(number, national_id, token)
        if not ticket_sudo:
            error = request.env._(
                "We found no ticket with that number and national ID. Check both and try again."
            )
            if isinstance(token, str) and token:
                error = request.env._(
                    "This tracking link is not valid or has expired. Look your ticket up "
                    "with its number and your national ID."
                )
            return request.render(
                "helpdesk_itims.tracking_page", {"values": values, "error": error}, status=404
            )
        return request.render(
            "helpdesk_itims.tracking_page",
            {"values": values, "ticket": self._tracking_values(ticket_sudo, full)},
        )

    def _find_tracked_ticket(self, number, national_id, token):
        """Return (ticket, full): the ticket when the secret that comes with the
        number matches, and whether it was the link's token (details) or the
        national ID (state and dates only)."""
        nothing = request.env["helpdesk.ticket"], False
        if len(number) > TICKET_NUMBER_MAX or "\x00" in number:
            return nothing
        # sudo: visitors cannot read tickets; the ticket is shown only when the
        # secret that comes with it (national ID or tracking token) matches
        ticket_sudo = (
            request.env["helpdesk.ticket"]
            .sudo()
            .search([("number", "=", number), ("company_id", "=", self._company().id)], limit=1)
        )
        if not ticket_sudo:
            return nothing
        if isinstance(token, str) and token:
            # a wrong token is not rescued by a right national ID
            if ticket_sudo._itims_check_tracking_token(token):
                return ticket_sudo, True
            return nothing
        national_id = self._company()._itims_clean_national_id(national_id)
        expected = ticket_sudo.requester_national_id
        if national_id and expected and consteq(expected.encode(), national_id.encode()):
            return ticket_sudo, False
        return nothing

    def _state_labels(self):
        # the labels of the four ITIMS states, translated once on the stage field
        return dict(
            request.env["helpdesk.ticket.stage"]
            ._fields["itims_state"]
            ._description_selection(request.env)
        )

    def _when(self, value):
        if not value:
            return ""
        return format_datetime(request.env, value, tz=self._visitor_tz(), dt_format="medium")

    def _steps(self, ticket_sudo, labels):
        state = ticket_sudo.itims_state or "registered"
        closed = state in CLOSING_STATES
        in_progress_reached = state == "in_progress" or (closed and bool(ticket_sudo.assigned_date))
        final = "cancelled" if state == "cancelled" else "resolved"
        closed_on = ticket_sudo.closed_date or ticket_sudo.last_stage_update
        return [
            {
                "key": "registered",
                "label": labels.get("registered"),
                "date": self._when(ticket_sudo.create_date),
                "done": True,
            },
            {
                "key": "in_progress",
                "label": labels.get("in_progress"),
                "date": self._when(ticket_sudo.assigned_date) if in_progress_reached else "",
                "done": in_progress_reached,
            },
            {
                "key": final,
                "label": labels.get(final),
                "date": self._when(closed_on) if closed else "",
                "done": closed,
            },
        ]

    def _history(self, ticket_sudo, labels):
        """Every change of stage, oldest first: [{date, label}] (ITIMS state names
        only, never the team's internal stage names or who made the change)."""
        Tracking = request.env["mail.tracking.value"].sudo()
        stage_field = request.env["ir.model.fields"]._get("helpdesk.ticket", "stage_id")
        changes = Tracking.search(
            [
                ("field_id", "=", stage_field.id),
                ("mail_message_id.model", "=", "helpdesk.ticket"),
                ("mail_message_id.res_id", "=", ticket_sudo.id),
            ],
            order="id",
            limit=HISTORY_MAX,
        )
        Stage = request.env["helpdesk.ticket.stage"].sudo()
        history = [{"date": self._when(ticket_sudo.create_date), "label": labels["registered"]}]
        for change in changes:
            stage = Stage.browse(change.new_value_integer).exists()
            if stage:
                history.append(
                    {
                        "date": self._when(change.mail_message_id.date),
                        "label": labels.get(stage.itims_state, ""),
                    }
                )
        return history

    def _tracking_values(self, ticket_sudo, full):
        """What the page shows: the state and its dates; with the link's token
        (``full``) also the title, description, resolution note and history."""
        labels = self._state_labels()
        state = ticket_sudo.itims_state or "registered"
        values = {
            "number": ticket_sudo.number,
            "full": full,
            "state": state,
            "state_label": labels.get(state, ""),
            "steps": self._steps(ticket_sudo, labels),
            "technician": ticket_sudo._itims_assignee_first_name(),
        }
        if full:
            closed = state in CLOSING_STATES
            values.update(
                title=ticket_sudo.name,
                category=ticket_sudo.category_id.name or "",
                description=ticket_sudo.description or "",
                resolution_notes=ticket_sudo.resolution_notes if closed else "",
                history=self._history(ticket_sudo, labels),
            )
        return values
