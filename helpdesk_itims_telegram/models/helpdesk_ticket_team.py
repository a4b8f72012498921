from odoo import fields, models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    itims_telegram_chat_id = fields.Char(
        string="Telegram Group Chat",
        groups="base.group_system,helpdesk_itims.group_itims_manager",
        help="Id of the team's Telegram group (negative number; add the bot to the "
        "group first). It receives every new ticket of the team.",
    )
