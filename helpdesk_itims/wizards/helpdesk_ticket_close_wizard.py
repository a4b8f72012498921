from odoo import fields, models


class HelpdeskTicketCloseWizard(models.TransientModel):
    _name = "helpdesk.ticket.close.wizard"
    _description = "Resolve or Cancel a Ticket"

    ticket_id = fields.Many2one(comodel_name="helpdesk.ticket", required=True, ondelete="cascade")
    close_state = fields.Selection(
        selection=[("resolved", "Resolve"), ("cancelled", "Cancel")],
        string="Action",
        required=True,
        default="resolved",
    )
    resolution_notes = fields.Text(
        required=True,
        help="Actions performed; the requester reads them on the tracking page.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.ticket_id._itims_close(self.close_state, self.resolution_notes)
        return {"type": "ir.actions.act_window_close"}
