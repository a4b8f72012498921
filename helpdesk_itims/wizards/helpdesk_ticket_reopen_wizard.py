from odoo import fields, models


class HelpdeskTicketReopenWizard(models.TransientModel):
    _name = "helpdesk.ticket.reopen.wizard"
    _description = "Reopen a Ticket"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        required=True,
        ondelete="cascade",
        default=lambda self: self.env.context.get("active_id"),
    )
    reason = fields.Text(
        required=True,
        help="Why the ticket is opened again; logged in its history.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.ticket_id._itims_reopen(self.reason)
        return {"type": "ir.actions.act_window_close"}
