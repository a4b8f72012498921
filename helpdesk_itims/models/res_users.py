from odoo import fields, models
from odoo.exceptions import AccessError

# workload settings an ITIMS manager administers for the technicians of their companies
WORKLOAD_FIELDS = {"itims_max_active_tickets", "itims_on_duty"}

# Changing any of these may give a technician room for more tickets (or take some
# away): the waiting tickets of their teams are dispatched again afterwards.
ITIMS_DISPATCH_FIELDS = {
    "itims_on_duty",
    "itims_max_active_tickets",
    "helpdesk_team_ids",
    "active",
    "groups_id",
    "company_ids",
}


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
    itims_last_assignment_date = fields.Datetime(
        string="Last Assignment",
        copy=False,
        readonly=True,
        help="When this technician last received a ticket (automatically, by taking "
        "it or from a manager); the assignment engine serves the oldest first.",
    )
    itims_assignment_serial = fields.Integer(
        string="Assignment Serial",
        copy=False,
        readonly=True,
        groups="base.group_system",
        help="Technical: rotation order of the last assignment (a counter, as "
        "several assignments may happen within the same second).",
    )
    itims_dispatch_version = fields.Integer(
        string="Dispatch Version",
        copy=False,
        readonly=True,
        groups="base.group_system",
        help="Technical: bumped by every assignment run that locks this technician, "
        "so that concurrent runs conflict instead of counting stale loads (see "
        "models/itims_assignment.py).",
    )
    itims_active_ticket_count = fields.Integer(
        string="Active Tickets",
        compute="_compute_itims_ticket_counts",
        help="In Progress tickets assigned to this technician: what the cap counts.",
    )
    itims_week_ticket_count = fields.Integer(
        string="Assigned This Week",
        compute="_compute_itims_ticket_counts",
        help="Tickets assigned to this technician since Monday (ISO week).",
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
            "itims_last_assignment_date",
            "itims_active_ticket_count",
            "itims_week_ticket_count",
        ]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        # a technician reports themselves on or off duty; the cap is the manager's
        return super().SELF_WRITEABLE_FIELDS + ["itims_on_duty"]

    def _compute_itims_ticket_counts(self):
        active = self._itims_active_ticket_counts()
        week = self._itims_week_ticket_counts()
        for user in self:
            user.itims_active_ticket_count = active.get(user.id, 0)
            user.itims_week_ticket_count = week.get(user.id, 0)

    def write(self, vals):
        users = self
        if self._itims_is_workload_write_by_manager(vals):
            # res.users is writable by user administrators only, but ITIMS managers
            # set the cap and duty of their technicians (workload board): after checking
            # that only those fields change and only on technicians of their companies,
            # write them as superuser.
            users = self.sudo()
        res = super(ResUsers, users).write(vals)
        if ITIMS_DISPATCH_FIELDS & vals.keys():
            # more room (or less) for these technicians: serve their teams' queues
            self.env["itims.assignment"]._technicians_got_room(users)
        return res

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

    # ------------------------------------------------------------------
    # Shortcuts to the assignment engine (models/itims_assignment.py)
    # ------------------------------------------------------------------

    def _itims_is_technician(self):
        """Whether this user may work tickets (the engine's one definition)."""
        self.ensure_one()
        return bool(self.env["itims.assignment"]._technicians(self))

    def _itims_set_last_assignment(self, when=None):
        """Record that these technicians just received a ticket."""
        self.env["itims.assignment"]._stamp(self, when)

    def _itims_active_ticket_counts(self):
        """{user id: In Progress tickets assigned}: the load the cap counts."""
        return self.env["itims.assignment"]._loads(self)

    def _itims_week_ticket_counts(self, week_start=None):
        """{user id: tickets assigned to them since the start of the ISO week}."""
        return self.env["itims.assignment"]._week_counts(self, week_start)
