from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL, plaintext2html

from .helpdesk_ticket import CLOSING_STATES


# Kept apart from helpdesk_ticket.py (which stays under 400 lines): the lifecycle.
# pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    """The lifecycle's rules behind the buttons: Resolve and Cancel need the notes
    (wizard), Reopen needs a reason, the status bar is no shortcut, and the requester
    hears of the closing once."""

    _inherit = "helpdesk.ticket"

    def action_itims_resolve(self):
        return self._itims_close_wizard_action("resolved")

    def action_itims_cancel(self):
        return self._itims_close_wizard_action("cancelled")

    def action_itims_release(self):
        """Backend "Back to the queue": the engine's release, as Telegram's button."""
        self.ensure_one()
        return self._itims_feedback(self._itims_release(self.env.user))

    def _itims_close_wizard_action(self, state):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Resolve Ticket")
            if state == "resolved"
            else self.env._("Cancel Ticket"),
            "res_model": "helpdesk.ticket.close.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_ticket_id": self.id,
                "default_close_state": state,
                "default_resolution_notes": self.resolution_notes,
            },
        }

    def _itims_close(self, state, notes):
        """Resolve or cancel these tickets with the actions performed (public API).
        Frees their technicians: the engine then pulls the oldest waiting tickets."""
        if state not in CLOSING_STATES:
            raise UserError(self.env._("A ticket can only be closed as resolved or cancelled."))
        if not (notes or "").strip():
            raise UserError(self.env._("Describe the actions performed."))
        for ticket in self:
            ticket.write(
                {
                    "resolution_notes": notes,
                    "stage_id": ticket.team_id._itims_stage(state).id,
                }
            )
        return True

    def _itims_reopen(self, reason):
        """Reopen these closed tickets for ``reason`` (public API): back to Registered,
        in the queue where the engine gives them to a technician with room; the
        reason is logged in their history."""
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for reopening the ticket."))
        for ticket in self:
            if ticket.itims_state not in CLOSING_STATES:
                raise UserError(
                    self.env._("Ticket %s is neither resolved nor cancelled.", ticket.number)
                )
            ticket.with_context(itims_reopen=True).write(
                {"stage_id": ticket.team_id._itims_stage("registered").id, "user_id": False}
            )
            ticket.message_post(
                body=plaintext2html(self.env._("Reopened: %s", reason.strip())),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _itims_check_reopen(self, vals):
        """A closed ticket opens again only through Reopen, which asks the reason."""
        if "stage_id" not in vals or self.env.context.get("itims_reopen"):
            return
        stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
        if stage.itims_state in CLOSING_STATES:
            return
        closed = self.filtered(lambda t: t.itims_state in CLOSING_STATES)
        if closed:
            raise UserError(
                self.env._(
                    "Ticket %s is closed: reopen it with the Reopen button, giving the reason.",
                    closed[0].number,
                )
            )

    def _track_template(self, changes):
        res = super()._track_template(changes)
        # the requester hears of the closing once: a ticket resolved again after a
        # reopening sends no second e-mail
        if "stage_id" in res and self[0].itims_closing_notified:
            del res["stage_id"]
        elif "stage_id" in res and self[0].itims_state in CLOSING_STATES:
            # plain SQL: tracking runs in the pre-commit hooks, after the last flush
            self.env.cr.execute(
                SQL(
                    "UPDATE helpdesk_ticket SET itims_closing_notified = TRUE WHERE id = %s",
                    self[0].id,
                )
            )
            self[0].invalidate_recordset(["itims_closing_notified"])
        return res
