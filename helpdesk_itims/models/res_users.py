from odoo import fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

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
        "so that concurrent runs conflict and are retried (see "
        "_itims_lock_for_assignment).",
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
        teams = users.sudo().helpdesk_team_ids
        if teams and ITIMS_DISPATCH_FIELDS & vals.keys():
            # more room (or less) for these technicians: serve their teams' queues
            teams._itims_dispatch(users=users)
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
    # Assignment engine helpers
    # ------------------------------------------------------------------

    def _itims_is_technician(self):
        """Whether this user may work tickets: an internal ITIMS technician (the
        superuser, acting for the system, is not one)."""
        self.ensure_one()
        return (
            not self._is_superuser()
            and self._is_internal()
            and self.has_group("helpdesk_itims.group_itims_technician")
        )

    def _itims_lock_for_assignment(self):
        """Serialise every change of these technicians' load.

        Odoo runs each request in a REPEATABLE READ transaction whose snapshot is
        taken at its first query, so locking alone would not do: a transaction that
        waited for the lock would still count the active tickets of its old
        snapshot and could push a technician over the cap. Instead every
        transaction that may change a technician's load (engine run, Take, manual
        assignment, release) locks the technician rows in id order (no deadlock
        between two runs) and then updates them. A second transaction locking a row
        updated after its snapshot fails with a serialization error, Odoo rolls it
        back and replays the request (``odoo.service.model.retrying``) on a fresh
        snapshot: what it counts is then current, and a ticket can never be given
        twice nor a technician pushed over the cap. The row lock on the technicians
        (rather than an advisory lock per team) also covers technicians shared by
        several teams. ``FOR NO KEY UPDATE`` does not block the inserts that merely
        reference the users (``create_uid``...).
        """
        if not self:
            return
        ids = tuple(sorted(set(self.ids)))
        self.env["res.users"].flush_model(["itims_dispatch_version"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_users WHERE id IN %s ORDER BY id FOR NO KEY UPDATE",
                ids,
            )
        )
        self.env.cr.execute(
            SQL(
                "UPDATE res_users SET itims_dispatch_version = "
                "COALESCE(itims_dispatch_version, 0) + 1 WHERE id IN %s",
                ids,
            )
        )
        self.invalidate_recordset(["itims_dispatch_version"])

    def _itims_set_last_assignment(self, when=None):
        """Record that these technicians just received a ticket. Plain SQL on
        bookkeeping columns: an ORM write would bump the users' write_date (avatar
        cache keys) and run res.users' write machinery for nothing."""
        if not self:
            return
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_users
                   SET itims_last_assignment_date = %s,
                       itims_assignment_serial = (
                           SELECT COALESCE(MAX(itims_assignment_serial), 0) + 1
                             FROM res_users)
                 WHERE id IN %s
                """,
                when or fields.Datetime.now(),
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["itims_last_assignment_date", "itims_assignment_serial"])

    def _itims_active_ticket_counts(self):
        """{user id: In Progress tickets assigned}: the load the cap counts."""
        if not self.ids:
            return {}
        # sudo: a load is a count over every ticket of the technician, whatever
        # tickets the reader may open
        groups = (
            self.env["helpdesk.ticket"]
            .sudo()
            ._read_group(
                [("user_id", "in", self.ids), ("itims_state", "=", "in_progress")],
                ["user_id"],
                ["__count"],
            )
        )
        return {user.id: count for user, count in groups}

    def _itims_week_ticket_counts(self, week_start=None):
        """{user id: tickets assigned to them since the start of the ISO week}."""
        if not self.ids:
            return {}
        week_start = week_start or self.env["helpdesk.ticket.team"]._itims_week_start()
        # sudo: see _itims_active_ticket_counts; archived tickets were assigned too
        groups = (
            self.env["helpdesk.ticket"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [("user_id", "in", self.ids), ("assigned_date", ">=", week_start)],
                ["user_id"],
                ["__count"],
            )
        )
        return {user.id: count for user, count in groups}
