from odoo import api, fields, models

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

    @api.model
    def _itims_disable_portal_closing(self):
        """ITIMS tickets are closed by the desk, with resolution notes, never by
        their requester from helpdesk_mgmt's portal page. Called by the stage
        data on every install and update: helpdesk_mgmt's stages are noupdate,
        so the ``close_from_portal`` helpdesk_mgmt gave them stays otherwise."""
        stages = self.with_context(active_test=False).search([("close_from_portal", "=", True)])
        stages.write({"close_from_portal": False})
        return True
