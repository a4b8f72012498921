from odoo import api, models


# Kept apart from helpdesk_ticket.py on purpose: demo-only code, one entry point.
# pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    @api.model
    def _itims_generate_demo_history(self, team_id, days=120, seed=2025):
        """Create ``days`` days of incident history for the team ``team_id``, relative
        to today and deterministic for a ``seed``; return the tickets.

        Called from ``demo/helpdesk_ticket_demo.xml``. The planner and its Spanish
        incident texts live in ``helpdesk_itims/demo/`` (``history.py``,
        ``history_writer.py``, ``incident_templates.json``) and are imported here,
        only when demo data loads: production servers never import them.
        """
        from ..demo.history_writer import generate_history

        team = self.env["helpdesk.ticket.team"].browse(team_id)
        return generate_history(team, days, seed)

    @api.model
    def _itims_generate_demo_queue(self, team_id, seed=2025):
        """Create the tickets waiting today in the queue of the team ``team_id``
        (which assigns manually); called from ``demo/helpdesk_ticket_demo.xml``."""
        from ..demo.history_writer import generate_queue

        team = self.env["helpdesk.ticket.team"].browse(team_id)
        return generate_queue(team, seed)
