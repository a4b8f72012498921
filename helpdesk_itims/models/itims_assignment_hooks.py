"""The ticket hooks and bookkeeping of the assignment engine (the model and its map
are in itims_assignment.py): assigned means In Progress, explicit changes lock and
obey the refusal rule, and what a change freed or queued is served to the queues."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .itims_assignment import INTERNAL_WRITE, OPEN_STATES, SKIP


class ItimsAssignment(models.AbstractModel):
    _inherit = "itims.assignment"

    @api.model
    def _on_ticket_create(self, tickets):
        self._sync_state_and_assignee(tickets, {"user_id"})
        if self.env.context.get(SKIP):
            return
        assignees = tickets.user_id
        self._lock_technicians(assignees)
        self._stamp(assignees)
        self._tickets_need_technician(tickets.filtered(lambda t: not t.user_id))

    @api.model
    def _before_ticket_write(self, tickets, vals):
        """Lock and refuse before a write that may change who holds ``tickets``;
        return what ``_after_ticket_write`` compares."""
        before = {ticket: (ticket.user_id, ticket.itims_state) for ticket in tickets}
        if self.env.context.get(SKIP):
            return before
        new_user = self.env["res.users"].browse(vals.get("user_id") or [])
        self._lock_technicians(tickets.user_id | new_user)
        if new_user and new_user == self.env.user and self._technicians(new_user):
            load = self._loads(new_user).get(new_user.id, 0)
            for ticket in tickets:
                if ticket.user_id != new_user and ticket.itims_state in OPEN_STATES:
                    self._raise_refusal(ticket, new_user, load)
                    load += 1
        return before

    @api.model
    def _after_ticket_write(self, tickets, before):
        """Record the new assignments, then serve the queues they changed."""
        if self.env.context.get(SKIP):
            return
        assignees = tickets.filtered(
            lambda t: t.user_id and t.user_id != before[t][0] and t.itims_state == "in_progress"
        ).user_id
        self._stamp(assignees)
        released = self.env["res.users"]
        for ticket in tickets:
            old_user, old_state = before[ticket]
            if (
                old_user
                and old_state == "in_progress"
                and (
                    ticket.user_id != old_user
                    or ticket.itims_state != "in_progress"
                    or not ticket.active
                )
            ):
                released |= old_user
        self._tickets_need_technician(
            tickets.filtered(lambda t: t.itims_state == "registered" and not t.user_id)
        )
        self._technicians_got_room(released)

    @api.model
    def _sync_state_and_assignee(self, tickets, fnames):
        """Keep "assigned" and "In Progress" one thing. A Registered ticket given a
        technician starts; an In Progress one left without returns to the queue.
        When the stage was what changed, the stage wins: moved back to Registered
        it leaves its technician, moved to In Progress the mover takes it."""
        if self.env.context.get(SKIP):
            return  # imports and generated history are written as given
        stage_moved = "stage_id" in fnames and "user_id" not in fnames
        for ticket in tickets:
            team = ticket.team_id
            if ticket.itims_state == "in_progress" and not ticket.user_id:
                if stage_moved:
                    self._start_by_stage_move(ticket)
                else:
                    self._write(ticket, {"stage_id": team._itims_stage("registered").id})
            elif ticket.itims_state == "registered" and ticket.user_id:
                if stage_moved:
                    self._write(ticket, {"user_id": False})
                else:
                    self._write(ticket, {"stage_id": team._itims_stage("in_progress").id})

    @api.model
    def _start_by_stage_move(self, ticket):
        user = self.env.user
        if not self._technicians(user):
            raise UserError(
                self.env._("Assign a technician to ticket %s before starting it.", ticket.number)
            )
        self._lock_technicians(user)
        self._raise_refusal(ticket, user)
        self._write(ticket, {"user_id": user.id})

    @api.model
    def _raise_refusal(self, ticket, user, load=None):
        refusal = self._refusal(ticket, user, load, queue=False)
        if refusal:
            raise UserError(refusal[1])

    # ------------------------------------------------------------------
    # The engine's writes and bookkeeping
    # ------------------------------------------------------------------

    @api.model
    def _assign(self, ticket, user, method):
        """The engine gives ``ticket`` to ``user``: not a response (the first
        response date is left alone)."""
        team = ticket.team_id
        self._write(ticket, {"user_id": user.id, "stage_id": team._itims_stage("in_progress").id})
        self._stamp(user)
        methods = dict(team._fields["itims_assignment_method"]._description_selection(self.env))
        ticket._message_log(
            body=self.env._(
                "Assigned automatically to %(user)s (%(method)s).",
                user=user.name,
                method=methods[method],
            ),
            author_id=self.env.ref("base.partner_root").id,
        )

    @api.model
    def _stamp(self, users, when=None):
        """Record that these technicians just received a ticket (bookkeeping in SQL:
        an ORM write would bump write_date, the avatars' cache key)."""
        if not users:
            return
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_users
                   SET itims_last_assignment_date = %s,
                       itims_assignment_serial = (
                           SELECT COALESCE(MAX(itims_assignment_serial), 0) + 1 FROM res_users)
                 WHERE id IN %s
                """,
                when or fields.Datetime.now(),
                tuple(users.ids),
            )
        )
        users.invalidate_recordset(["itims_last_assignment_date", "itims_assignment_serial"])
        self._notify_workload()

    @api.model
    def _notify_workload(self):
        """Tell the open workload boards (managers, monitors) that a load changed:
        once per transaction, as it commits (Odoo's bus, as its activity views)."""
        data = self.env.cr.precommit.data
        if not data.get("itims.workload.notify"):
            data["itims.workload.notify"] = True
            self.env.cr.precommit.add(self._send_workload_notification)

    def _send_workload_notification(self):
        if not self.env.cr.precommit.data.pop("itims.workload.notify", None):
            return
        groups = self.env.ref("helpdesk_itims.group_itims_manager") | self.env.ref(
            "helpdesk_itims.group_itims_monitor"
        )
        groups._bus_send("itims.workload/updated", {})

    @api.model
    def _write(self, tickets, vals):
        """The engine's own write: the ticket hooks do not run again."""
        return tickets.with_context(**{INTERNAL_WRITE: True}).write(vals)
