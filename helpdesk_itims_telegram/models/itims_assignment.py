from odoo import api, models

from odoo.addons.helpdesk_itims.models.helpdesk_ticket import CLOSING_STATES
from odoo.addons.helpdesk_itims.models.itims_assignment import RELEASED_BY, SKIP


class ItimsAssignment(models.AbstractModel):
    _inherit = "itims.assignment"

    @api.model
    def _on_ticket_create(self, tickets):
        res = super()._on_ticket_create(tickets)
        if not self.env.context.get(SKIP):
            tickets._itims_telegram_notify_new()
        return res

    @api.model
    def _assign(self, ticket, user, method):
        res = super()._assign(ticket, user, method)
        ticket._itims_telegram_notify_user("assigned", user, action="release")
        return res

    @api.model
    def _after_ticket_write(self, tickets, before):
        res = super()._after_ticket_write(tickets, before)
        if self.env.context.get(SKIP):
            return res
        actor = self.env.user
        for ticket in tickets:
            old_user, old_state = before[ticket]
            user = ticket.user_id
            if user != old_user:
                if user and user != actor and ticket.itims_state == "in_progress":
                    ticket._itims_telegram_notify_user("assigned", user, action="release")
                if old_user and old_user != actor and user:
                    ticket._itims_telegram_notify_user("reassigned", old_user, new_user=user)
            if old_state in CLOSING_STATES and ticket.itims_state not in CLOSING_STATES:
                # reopened: back in the queue; whoever closed it hears of it
                if old_user and old_user != actor:
                    ticket._itims_telegram_notify_user("reopened", old_user)
                if not user:
                    ticket._itims_telegram_notify_new()
        return res

    @api.model
    def _release(self, ticket, user):
        holder = ticket.sudo().user_id
        result = super()._release(ticket, user)
        if result["success"] and not ticket.user_id:
            # back in a manual team's queue: offered again, but not to who released it
            ticket.with_context(**{RELEASED_BY: holder.id})._itims_telegram_notify_new()
        return result

    @api.model
    def _take(self, ticket, user):
        result = super()._take(ticket, user)
        if result["code"] == "taken":
            # every message that offered the ticket now says who took it
            ticket._itims_telegram_taken(user)
        return result
