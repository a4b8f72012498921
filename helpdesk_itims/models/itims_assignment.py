"""The assignment engine of ITIMS: who gets which ticket, and who may take one.

Map (``itims.assignment``, here and in itims_assignment_hooks.py; helpdesk.ticket,
res.users and helpdesk.ticket.team only declare the fields that matter and call):

- ``_tickets_need_technician(tickets)``: tickets created or back in a queue.
- ``_technicians_got_room(users, teams=None)``: a ticket resolved, cancelled,
  reassigned or deleted; back on duty, cap raised, joined a team, team changed.
- ``_cron_dispatch()``: cron "ITIMS: dispatch waiting tickets", every 5 minutes and
  triggered after a conflict: also catches what changes without a write (a leave
  ending at midnight).
- ``_take(ticket, user)``: the backend button and Telegram's "Assign to me" call
  it through ``helpdesk.ticket._itims_take``.
- ticket hooks (assigned means In Progress), the engine's writes (``_assign``,
  ``_stamp``): itims_assignment_hooks.py.

One refusal rule, ``_refusal(ticket, user)`` -> None or (code, message), for Take,
Telegram, a technician assigning themselves (form, stage move) and the engine's own
choice. One definition of technician (``_technicians``) and of available
(``_available``: technician, team member, on duty, not on approved leave today,
below the cap, in the ticket's company).

Locks: technicians first, then tickets, always (``_lock_technicians`` then
``_lock_tickets``). Odoo runs requests in REPEATABLE READ: a lock alone would let a
transaction count loads from its old snapshot, so whoever changes a technician's
load also bumps the technician's row (``itims_dispatch_version``); a later
transaction locking that row from an older snapshot gets a serialization failure
instead of a stale count. Once the row is locked without error, the snapshot's
load of that technician is the current one.

Contention: the engine locks only the technician it chose (then the ticket),
without waiting (NOWAIT). When another transaction holds or changed that row it
tries the next candidate; when the ticket is being changed elsewhere it leaves it.
Automatic runs (creation, release, settings) run in a savepoint: any conflict
rolls back the run only, the tickets stay queued and the dispatch cron is
triggered; the request that caused the run always succeeds. Explicit actions
(Take, manual assignment, stage moves) wait for their locks and fail on conflict,
so Odoo replays them on a fresh snapshot (a Take that lost reads already_taken).

Inline dispatch rather than always ``ir.cron._trigger()``: see the figures of
bench/load_intake.py in bench/README.md.
"""

import logging
from datetime import datetime, time, timedelta

import pytz
from psycopg2.errors import DeadlockDetected, LockNotAvailable, SerializationFailure

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

METHODS = ("manual", "round_robin", "least_loaded", "balanced")
CONFLICTS = (SerializationFailure, LockNotAvailable, DeadlockDetected)
# context keys: the engine's own writes (no re-entry); imports and history (no engine)
INTERNAL_WRITE = "itims_internal_write"
SKIP = "itims_skip_assignment"
OPEN_STATES = ("registered", "in_progress")


def assignment_key(method, load, week_count, serial, user_id):
    """Sort key of a candidate technician under ``method``: the lowest key wins.

    ``load`` is the technician's In Progress tickets, ``week_count`` the tickets
    assigned to them since the start of the ISO week, ``serial`` the rotation order
    of their last assignment (0: never assigned) and ``user_id`` the last tie-break.
    Round robin serves the oldest last assignment; least loaded the fewest active
    tickets; balanced the lowest ``2 * week_count + load``, then the fewest active:
    bench/assignment_fairness.py, 10 seeds, worst weekly std 0.91 (1.12 with the
    plain sum), nobody over the cap.
    """
    seniority = (serial or 0, user_id)
    if method == "round_robin":
        return seniority
    if method == "least_loaded":
        return (load, *seniority)
    return (2 * week_count + load, load, *seniority)


def queue_domain(teams):
    """The FIFO queue of ``teams``: their Registered tickets nobody holds."""
    return [
        ("team_id", "in", teams.ids),
        ("user_id", "=", False),
        ("itims_state", "=", "registered"),
    ]


def week_start(now, tz_name):
    """Monday 00:00 of the ISO week of ``now`` (naive UTC) in ``tz_name``, as naive UTC."""
    tz = pytz.timezone(tz_name)
    monday = pytz.utc.localize(now).astimezone(tz).date()
    monday -= timedelta(days=monday.weekday())
    start = tz.localize(datetime.combine(monday, time.min))
    return start.astimezone(pytz.utc).replace(tzinfo=None)


# context key set by ``_release``: the technician who just put a ticket back in the
# queue is left out of the dispatch (and the offers) that follow, so that the ticket
# goes to someone else instead of straight back to them
RELEASED_BY = "itims_released_by"


class ItimsAssignment(models.AbstractModel):
    _name = "itims.assignment"
    _description = "ITIMS Assignment Engine"

    # ------------------------------------------------------------------
    # Definitions: technician, available, loads
    # ------------------------------------------------------------------

    @api.model
    def _technicians(self, users):
        """The technicians among ``users``: active internal users of the ITIMS
        technician group (the superuser, acting for the system, is none)."""
        group = self.env.ref("helpdesk_itims.group_itims_technician")
        return users.sudo().filtered(
            lambda u: u.active and not u.share and not u._is_superuser() and group in u.groups_id
        )

    @api.model
    def _absent(self, users):
        """Ids of ``users`` on an approved leave today (hr_holidays): the days a
        validated leave was requested for, in the company's time zone; and the
        technician who just released a ticket (``RELEASED_BY``)."""
        tz_now = fields.Datetime.context_timestamp(
            self.with_context(tz=self._tz()), fields.Datetime.now()
        )
        today = tz_now.date()
        domain = [("user_id", "in", users.ids), ("state", "=", "validate")]
        domain += [("request_date_from", "<=", today), ("request_date_to", ">=", today)]
        # sudo: leaves are HR's; the engine only asks whether one covers today
        absent = {
            user.id for (user,) in self.env["hr.leave"].sudo()._read_group(domain, ["user_id"])
        }
        released_by = self.env.context.get(RELEASED_BY)
        if released_by in users.ids:
            absent.add(released_by)
        return absent

    @api.model
    def _available(self, ticket, user, load, absent):
        """Whether the engine may give queued ``ticket`` to technician ``user``."""
        return (
            user.itims_on_duty and user.id not in absent and not self._refusal(ticket, user, load)
        )

    @api.model
    def _tz(self):
        return self.env.company.partner_id.tz or "UTC"

    @api.model
    def _week_start(self, now=None):
        """Start of the current ISO week in the company's time zone (naive UTC)."""
        return week_start(now or fields.Datetime.now(), self._tz())

    @api.model
    def _loads(self, users):
        """{user id: In Progress tickets assigned}: the load the cap counts."""
        domain = [("user_id", "in", users.ids), ("itims_state", "=", "in_progress")]
        # sudo: a load counts every ticket of the technician, whatever the reader sees
        groups = self.env["helpdesk.ticket"].sudo()._read_group(domain, ["user_id"], ["__count"])
        return {user.id: count for user, count in groups}

    @api.model
    def _week_counts(self, users, since=None):
        """{user id: tickets assigned since the start of the ISO week}."""
        domain = [
            ("user_id", "in", users.ids),
            ("assigned_date", ">=", since or self._week_start()),
        ]
        # sudo: see _loads; archived tickets were assigned too
        Ticket = self.env["helpdesk.ticket"].sudo().with_context(active_test=False)
        return {
            user.id: count for user, count in Ticket._read_group(domain, ["user_id"], ["__count"])
        }

    # ------------------------------------------------------------------
    # The refusal rule and Take
    # ------------------------------------------------------------------

    @api.model
    def _refusal(self, ticket, user, load=None, queue=True):
        """Why ``user`` may not be given ``ticket``: None, or (code, message).

        ``queue``: the ticket must be waiting in its team's queue (Take, Telegram,
        the engine); False for a ticket a technician hands themselves by a write,
        where only the cap counts. ``load``: the user's In Progress tickets, when
        the caller counted them. One message per code, one comparison (load >= cap).
        """
        user, ticket = user.sudo(), ticket.sudo()
        if not user or not self._technicians(user):
            return "not_allowed", self.env._("Only technicians can take tickets.")
        if queue and ticket.user_id == user:
            return "already_yours", self.env._("Ticket %s is already yours.", ticket.number)
        if queue and ticket.user_id:
            return "already_taken", self.env._(
                "Ticket %(number)s was already taken by %(user)s.",
                number=ticket.number,
                user=ticket.user_id.name,
            )
        if queue and ticket.itims_state != "registered":
            return "not_in_queue", self.env._(
                "Ticket %(number)s is no longer waiting in the queue (%(stage)s).",
                number=ticket.number,
                stage=ticket.stage_id.name,
            )
        if queue and (
            (ticket.team_id and user not in ticket.team_id.user_ids)
            or ticket.company_id not in user.company_ids
        ):
            return "not_member", self.env._(
                "Ticket %(number)s belongs to team %(team)s, which you are not a member of.",
                number=ticket.number,
                team=ticket.team_id.display_name or "-",
            )
        load = self._loads(user).get(user.id, 0) if load is None else load
        if load >= user.itims_max_active_tickets:
            return "over_cap", self.env._(
                "You already have %(count)s active tickets and your maximum is "
                "%(max)s: resolve one before taking another.",
                count=load,
                max=user.itims_max_active_tickets,
            )
        return None

    @api.model
    def _take(self, ticket, user):
        """``user`` takes queued ``ticket``; see ``helpdesk.ticket._itims_take``.
        Waits for its locks: on a conflict the request is replayed by Odoo."""
        ticket.ensure_one()
        if self._technicians(user):
            self._lock_technicians(user)
            self._lock_tickets(ticket)
        refusal = self._refusal(ticket, user)
        if refusal:
            code, message = refusal
            return {"success": code == "already_yours", "code": code, "message": message}
        # sudo: the policy of Take was checked above; the caller may be a bot
        ticket, user = ticket.sudo(), user.sudo()
        now = fields.Datetime.now()
        vals = {"user_id": user.id, "stage_id": ticket.team_id._itims_stage("in_progress").id}
        if not ticket.first_response_date:
            vals["first_response_date"] = now
        # the tracking of the change is authored by the technician
        self._write(ticket.with_user(user).sudo(), vals)
        self._stamp(user, now)
        message = self.env._("Ticket %s is yours.", ticket.number)
        return {"success": True, "code": "taken", "message": message}

    @api.model
    def _release(self, ticket, user):
        """``user`` gives In Progress ``ticket`` back to its team's queue; see
        ``helpdesk.ticket._itims_release``. Waits for its locks (as Take)."""
        ticket.ensure_one()
        holder = ticket.sudo().user_id
        self._lock_technicians(holder | self._technicians(user))
        self._lock_tickets(ticket)
        # sudo: the policy of a release is checked here; the caller may be a bot
        ticket, user = ticket.sudo(), user.sudo()
        holder = ticket.user_id
        if ticket.itims_state != "in_progress" or not holder:
            message = self.env._("Ticket %s is not in progress.", ticket.number)
            return {"success": False, "code": "not_in_progress", "message": message}
        if holder != user and not user.has_group("helpdesk_itims.group_itims_manager"):
            message = self.env._(
                "Only %(user)s or a manager can put ticket %(number)s back in the queue.",
                user=holder.name,
                number=ticket.number,
            )
            return {"success": False, "code": "not_allowed", "message": message}
        # back to Registered and unassigned: the queue is ordered by create_date, so
        # the ticket takes its original FIFO position
        registered = ticket.team_id._itims_stage("registered")
        self._write(ticket.with_user(user).sudo(), {"user_id": False, "stage_id": registered.id})
        # recompute what the release changed as superuser now: the dispatch's savepoint
        # would flush it as the caller, e.g. the public user of Telegram's webhook
        ticket.flush_recordset()
        # the team's queue is served, but not by who just gave the ticket back
        self.with_context(**{RELEASED_BY: holder.id})._technicians_got_room(
            holder, teams=ticket.team_id
        )
        message = self.env._("Ticket %s is back in the queue.", ticket.number)
        return {"success": True, "code": "released", "message": message}

    # ------------------------------------------------------------------
    # Entry points of the automatic dispatch
    # ------------------------------------------------------------------

    @api.model
    def _tickets_need_technician(self, tickets):
        """These tickets wait for a technician: serve their teams' queues."""
        return self._serve(tickets.sudo().team_id)

    @api.model
    def _technicians_got_room(self, users, teams=None):
        """These technicians may have room (or ``teams`` changed): serve the queues
        of ``teams``, by default every team of the technicians."""
        if users:
            self._notify_workload()  # duty, cap or a release: the boards show it
        return self._serve(teams if teams is not None else users.sudo().helpdesk_team_ids)

    @api.model
    def _cron_dispatch(self):
        """Serve every queue (cron): availability also changes without a write."""
        return self._serve(self.env["helpdesk.ticket.team"].sudo().search([]), inline=False)

    @api.model
    def _serve(self, teams, inline=True):
        """Dispatch in a savepoint: a conflict undoes the run only, leaves the tickets
        queued and triggers the dispatch cron; the calling transaction goes on.
        System parameter ``helpdesk_itims.dispatch_deferred``: always leave it to the
        cron (measured against inline in bench/load_intake.py)."""
        Ticket = self.env["helpdesk.ticket"].sudo()
        if self.env.context.get(SKIP) or not teams:
            return Ticket
        ICP = self.env["ir.config_parameter"].sudo()  # sudo: a setting, read by anyone
        if inline and ICP.get_param("helpdesk_itims.dispatch_deferred"):
            assigned, conflict = Ticket, True
        else:
            assigned, conflict = self._serve_now(teams)
        # sudo: whoever caused the run (a visitor) may ask the cron to run soon
        cron = conflict and self.env.ref("helpdesk_itims.ir_cron_itims_dispatch", False)
        if cron:
            cron.sudo()._trigger()
        return assigned

    @api.model
    def _serve_now(self, teams):
        try:
            with self.env.cr.savepoint():
                assigned, conflict = self._dispatch(teams)
        except CONFLICTS as error:
            _logger.info("Assignment deferred to the dispatch cron: %s", error.pgcode)
            return self.env["helpdesk.ticket"], True
        return assigned, conflict

    @api.model
    def _dispatch(self, teams):
        """Give the queued tickets of ``teams``, oldest first, to available
        technicians by each team's method; return (tickets assigned, conflict seen)."""
        Ticket = self.env["helpdesk.ticket"].sudo()
        # sudo: the engine works for the whole desk, whoever triggered it
        teams = teams.sudo().exists().filtered(lambda t: t.itims_assignment_method != "manual")
        pool = self._technicians(teams.user_ids).filtered("itims_on_duty")
        absent = self._absent(pool)
        pool = pool.filtered(lambda u: u.id not in absent)
        if not pool:
            return Ticket, False
        queue = Ticket.search(queue_domain(teams.filtered("active")), order="create_date, id")
        loads = dict.fromkeys(pool.ids, 0) | self._loads(pool)
        weeks = dict.fromkeys(pool.ids, 0) | self._week_counts(pool)
        assigned, conflict = Ticket, False
        for ticket in queue:
            pool = pool.filtered(lambda u: loads[u.id] < u.itims_max_active_tickets)
            if not pool:
                break
            method = ticket.team_id.itims_assignment_method
            candidates = sorted(
                (u for u in pool if self._available(ticket, u, loads[u.id], absent)),
                key=lambda u: assignment_key(
                    method, loads[u.id], weeks[u.id], u.itims_assignment_serial, u.id
                ),
            )
            for user in candidates:
                busy = self._claim(user, ticket)
                conflict = conflict or bool(busy)
                if busy == "technician":
                    pool -= user  # held or changed elsewhere: its load here is stale
                    continue
                if not busy:
                    self._assign(ticket, user, method)
                    loads[user.id] += 1
                    weeks[user.id] += 1
                    assigned |= ticket
                break
        # recompute what the assignments changed as superuser now: a later flush
        # would run it as the caller, e.g. the public visitor
        assigned.flush_recordset()
        return assigned, conflict

    @api.model
    def _claim(self, user, ticket):
        """Lock ``user`` then ``ticket`` without waiting. None when both are ours,
        else which one another transaction holds or changed (locks undone)."""
        self.env.flush_all()  # nothing of the caller may be undone with the locks
        busy = "technician"
        try:
            with self.env.cr.savepoint(flush=False):
                self._lock_technicians(user, nowait=True)
                busy = "ticket"
                self._lock_tickets(ticket, nowait=True)
        except CONFLICTS:
            return busy
        return None

    # ------------------------------------------------------------------
    # Locks (technicians, then tickets)
    # ------------------------------------------------------------------

    @api.model
    def _lock_technicians(self, users, nowait=False):
        """Lock these technicians' rows in id order and bump them (see the module
        docstring). ``nowait``: fail at once when another transaction holds one."""
        if not users:
            return
        # sudo: the rows are locked whoever acts (a visitor's submission, a bot);
        # only the engine's bookkeeping column is written
        users = users.sudo()
        users.flush_model(["itims_dispatch_version"])
        lock = SQL(
            "SELECT id FROM res_users WHERE id IN %s ORDER BY id FOR NO KEY UPDATE %s",
            tuple(users.ids),
            SQL("NOWAIT") if nowait else SQL(""),
        )
        bump = SQL(
            "UPDATE res_users SET itims_dispatch_version = "
            "COALESCE(itims_dispatch_version, 0) + 1 WHERE id IN (%s)",
            lock,
        )
        # a conflict is an answer here (the caller handles it), not a bad query
        self.env.cr.execute(bump, log_exceptions=not nowait)
        users.invalidate_recordset(["itims_dispatch_version"])

    @api.model
    def _lock_tickets(self, tickets, nowait=False):
        """Lock these tickets' rows (after their technicians') and re-read them."""
        if not tickets:
            return
        # sudo: the engine re-reads the locked rows whatever the caller may read
        tickets = tickets.sudo()
        tickets.flush_recordset()
        lock = SQL(
            "SELECT id FROM helpdesk_ticket WHERE id IN %s ORDER BY id FOR NO KEY UPDATE %s",
            tuple(tickets.ids),
            SQL("NOWAIT") if nowait else SQL(""),
        )
        self.env.cr.execute(lock, log_exceptions=not nowait)
        tickets.invalidate_recordset()
