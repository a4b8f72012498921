from odoo import fields, models
from odoo.exceptions import AccessError

# workload settings an ITIMS manager administers for the technicians of their companies
WORKLOAD_FIELDS = {"itims_max_active_tickets", "itims_on_duty"}


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

    def write(self, vals):
        if self._itims_is_workload_write_by_manager(vals):
            # res.users is writable by user administrators only, but ITIMS managers
            # set the cap and duty of their technicians (workload board): after checking
            # that only those fields change and only on technicians of their companies,
            # write them as superuser.
            return super(ResUsers, self.sudo()).write(vals)
        return super().write(vals)

    def _itims_is_workload_write_by_manager(self, vals):
        if self.env.su or not vals or not set(vals) <= WORKLOAD_FIELDS:
            return False
        user = self.env.user
        if user.has_group("base.group_erp_manager") or not user.has_group(
            "helpdesk_itims.group_itims_manager"
        ):
            return False
        if self == user and set(vals) <= set(self.SELF_WRITEABLE_FIELDS):
            return False
        for technician in self.sudo():
            if not technician.has_group("helpdesk_itims.group_itims_technician") or not (
                technician.company_ids & user.company_ids
            ):
                raise AccessError(
                    self.env._(
                        "You can only change the workload settings of the technicians "
                        "of your companies."
                    )
                )
        return True
