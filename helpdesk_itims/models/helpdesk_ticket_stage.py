from odoo import fields, models

ITIMS_STATES = [
    ("registered", "Registered"),
    ("in_progress", "In Progress"),
    ("resolved", "Resolved"),
    ("cancelled", "Cancelled"),
]


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    itims_state = fields.Selection(
        selection=ITIMS_STATES,
        string="ITIMS State",
        required=True,
        default="in_progress",
        index=True,
        help="What the stage means to requesters and reports: Registered (waiting "
        "in the queue), In Progress (a technician works on it), Resolved or Cancelled.",
    )
