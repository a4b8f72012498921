from odoo import Command, api, fields, models
from odoo.tools import plaintext2html


class MaintenanceRequest(models.Model):
    _inherit = "maintenance.request"

    @api.model
    def _itims_record_ticket_repairs(self, tickets):
        """Leave a done corrective request, carrying the resolution notes, in the
        history of the asset of each resolved ticket. A ticket resolved again (after
        a reopening) updates its request: one history entry per incident."""
        known = tickets.filtered(lambda t: t.maintenance_request_ids.equipment_id == t.equipment_id)
        for ticket in known:
            # sudo: as below, the desk's history whatever the request's owner
            ticket.maintenance_request_ids.sudo().write(
                {"description": plaintext2html(ticket.resolution_notes or "")}
            )
        tickets -= known
        if not tickets:
            return self.browse()
        stage = self.env["maintenance.stage"].search(
            [("done", "=", True)], order="sequence, id", limit=1
        )
        now = fields.Datetime.now()
        # sudo: the history is written for the desk; hr_maintenance makes the
        # equipment's employee the owner, so the resolving technician may not own it
        requests = self.sudo().create(
            [self._itims_repair_vals(ticket, stage, now) for ticket in tickets]
        )
        # maintenance schedules a to-do for every request with a date; this one is done
        requests.activity_unlink(["maintenance.mail_act_maintenance_request"])
        for ticket, request in zip(tickets, requests, strict=True):
            ticket._message_log(
                body=self.env._(
                    "Maintenance record %(request)s added to the history of %(equipment)s.",
                    request=request.name,
                    equipment=ticket.equipment_id.display_name,
                )
            )
        return requests

    @api.model
    def _itims_repair_vals(self, ticket, stage, now):
        started = ticket.assigned_date or ticket.create_date or now
        return {
            "name": f"{ticket.number}: {ticket.name}",
            "equipment_id": ticket.equipment_id.id,
            "company_id": ticket.company_id.id,
            "maintenance_type": "corrective",
            "stage_id": stage.id,
            "description": plaintext2html(ticket.resolution_notes or ""),
            "request_date": (ticket.create_date or now).date(),
            "schedule_date": started,
            "duration": max((now - started).total_seconds(), 0) / 3600,
            "user_id": ticket.user_id.id,
            "employee_id": (ticket.equipment_id.employee_id or ticket.requester_id).id,
            "helpdesk_ticket_ids": [Command.link(ticket.id)],
        }
