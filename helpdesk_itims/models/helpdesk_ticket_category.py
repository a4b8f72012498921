from odoo import models


class HelpdeskTicketCategory(models.Model):
    _inherit = "helpdesk.ticket.category"

    def _itims_team(self, company):
        """The team a new ticket of this category goes to in ``company``: the
        first team of the company that handles the category, else the company's
        first team (an empty recordset when the company has none)."""
        # sudo: public submissions route their ticket without reading teams
        Team = self.env["helpdesk.ticket.team"].sudo()
        company_domain = [("company_id", "in", [False, company.id])]
        team = Team.browse()
        if self:
            team = Team.search([("category_ids", "in", self.ids)] + company_domain, limit=1)
        return team or Team.search(company_domain, limit=1)
