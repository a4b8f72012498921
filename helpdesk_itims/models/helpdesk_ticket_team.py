from odoo import fields, models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    itims_assignment_method = fields.Selection(
        selection=[
            ("manual", "Manual (FIFO queue)"),
            ("round_robin", "Round Robin"),
            ("least_loaded", "Least Loaded"),
            ("balanced", "Balanced (load + weekly count)"),
        ],
        string="Assignment Method",
        default="balanced",
        required=True,
        help="How new tickets of this team are given to its technicians.",
    )
