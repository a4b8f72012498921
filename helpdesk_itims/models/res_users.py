from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    itims_max_active_tickets = fields.Integer(
        string="Max Active Tickets",
        default=8,
        help="Cap of In Progress tickets assigned to this technician at once.",
    )
    itims_on_duty = fields.Boolean(
        string="On Duty",
        default=True,
        help="Only technicians on duty receive tickets automatically.",
    )
    telegram_chat_id = fields.Char(
        string="Telegram Chat ID",
        copy=False,
        groups="base.group_system,helpdesk_itims.group_itims_manager",
        help="Set when the technician links their Telegram account.",
    )

    _sql_constraints = [
        (
            "itims_max_active_tickets_positive",
            "CHECK(itims_max_active_tickets >= 0)",
            "The maximum of active tickets cannot be negative.",
        ),
    ]

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + [
            "itims_max_active_tickets",
            "itims_on_duty",
            "telegram_chat_id",
        ]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        # a technician reports themselves on or off duty; the cap is the manager's
        return super().SELF_WRITEABLE_FIELDS + ["itims_on_duty"]
