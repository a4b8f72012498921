from odoo import api, models


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    @api.model
    def _itims_disable_portal_closing(self):
        """ITIMS tickets are closed by the desk, with resolution notes, never by
        their requester from helpdesk_mgmt's portal page. Called by the stage
        data on every install and update: helpdesk_mgmt's stages are noupdate,
        so their ``close_from_portal`` set by helpdesk_mgmt stays otherwise."""
        stages = self.with_context(active_test=False).search([("close_from_portal", "=", True)])
        stages.write({"close_from_portal": False})
        return True
