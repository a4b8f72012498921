# Copyright 2026 ITIMS contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.helpdesk_itims.controllers.tracking import ItimsTrackingController


class ItimsKpiTrackingController(ItimsTrackingController):
    def _tracking_values(self, ticket_sudo, full):
        """With the link's token, a resolved ticket also offers its 1-5 rating
        links (or shows the rating given)."""
        values = super()._tracking_values(ticket_sudo, full)
        if full and ticket_sudo._itims_rating_requested():
            given = ticket_sudo._itims_rating_given()
            values["rating_given"] = given
            if not given:
                values["rating_links"] = ticket_sudo._itims_rating_links()
        return values
