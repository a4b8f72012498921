from odoo import Command, api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, plaintext2html

CLOSING_STATES = ("resolved", "cancelled")
# Writing any of these may change who holds the ticket or a technician's load.
ITIMS_ENGINE_FIELDS = {"user_id", "stage_id", "team_id", "active", "company_id"}
# Context key of the writes the assignment engine makes itself (no re-entry).
ITIMS_INTERNAL_WRITE = "itims_internal_write"


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"
    _mail_post_access = "write"  # messages, notes and activities need write (not a Monitor)

    # helpdesk_mgmt leaves these columns without index: a ticket is looked up by
    # number, every deleted ticket scans the table for rows pointing to it through
    # duplicate_id (ON DELETE SET NULL), and reports filter on partner and dates.
    number = fields.Char(index=True)
    duplicate_id = fields.Many2one(index="btree_not_null")
    partner_id = fields.Many2one(index="btree_not_null")
    closed_date = fields.Datetime(index=True)

    itims_state = fields.Selection(
        string="ITIMS State",
        related="stage_id.itims_state",
        store=True,
        index=True,
    )
    requester_id = fields.Many2one(
        comodel_name="hr.employee",
        index="btree_not_null",
        tracking=True,
        check_company=True,
    )
    requester_national_id = fields.Char(
        string="Requester National ID",
        compute="_compute_requester_national_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        groups="helpdesk_mgmt.group_helpdesk_user_own,helpdesk_itims.group_itims_monitor",
    )
    requester_phone = fields.Char(string="Contact Phone")
    office_id = fields.Many2one(
        comodel_name="hr.department",
        compute="_compute_office_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        check_company=True,
    )
    equipment_id = fields.Many2one(
        comodel_name="maintenance.equipment",
        compute="_compute_equipment_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        check_company=True,
        help="Proposed from the equipment assigned to the requester.",
    )
    first_response_date = fields.Datetime(
        copy=False,
        readonly=True,
        help="First action of a technician on the ticket: taking it, opening it from "
        "a notification, posting a message or changing its stage.",
    )
    resolution_notes = fields.Text(
        copy=False,
        tracking=True,
        help="Actions performed; shown to the requester on the tracking page. "
        "Required to resolve or cancel the ticket.",
    )

    itims_closing_notified = fields.Boolean(
        copy=False,
        readonly=True,
        help="Technical: the requester already received the closing e-mail.",
    )
    itims_queue_age = fields.Float(
        string="Waiting Time",
        compute="_compute_itims_queue_age",
        help="Time since the ticket was registered (hours:minutes).",
    )

    def init(self):
        res = super().init()
        # create_date is a magic column: its index is made here. The second index
        # serves the FIFO queue (oldest unassigned Registered ticket of a team).
        tools.create_index(
            self.env.cr,
            "helpdesk_ticket_create_date_index",
            self._table,
            ["create_date"],
        )
        tools.create_index(
            self.env.cr,
            "helpdesk_ticket_itims_state_create_date_index",
            self._table,
            ["itims_state", "create_date"],
        )
        tools.create_index(
            self.env.cr,
            "helpdesk_ticket_itims_queue_index",
            self._table,
            ["team_id", "create_date", "id"],
            where="user_id IS NULL AND itims_state = 'registered'",
        )
        return res

    @api.depends("requester_id")
    def _compute_requester_national_id(self):
        for ticket in self.filtered("requester_id"):
            ticket.requester_national_id = ticket.requester_id.identification_id

    @api.depends("requester_id")
    def _compute_office_id(self):
        for ticket in self.filtered("requester_id.department_id"):
            ticket.office_id = ticket.requester_id.department_id

    @api.depends("requester_id")
    def _compute_equipment_id(self):
        # propose the requester's equipment when they have exactly one in service;
        # keep a shared asset (no employee) or one of theirs already chosen
        Equipment = self.env["maintenance.equipment"]
        for ticket in self.filtered("requester_id"):
            current = ticket.equipment_id
            if current and current.employee_id in (
                ticket.requester_id,
                current.employee_id.browse(),
            ):
                continue
            proposal = Equipment.search(
                [
                    ("employee_id", "=", ticket.requester_id.id),
                    ("itims_lifecycle_status", "!=", "retired"),
                ],
                limit=2,
            )
            ticket.equipment_id = proposal if len(proposal) == 1 else False

    def _compute_itims_queue_age(self):
        now = fields.Datetime.now()
        for ticket in self:
            created = ticket.create_date or now
            ticket.itims_queue_age = max((now - created).total_seconds(), 0) / 3600

    @api.constrains("stage_id", "resolution_notes")
    def _check_resolution_notes(self):
        for ticket in self:
            if ticket.itims_state in CLOSING_STATES and not (ticket.resolution_notes or "").strip():
                raise ValidationError(
                    self.env._(
                        "Ticket %s: describe the actions performed in the resolution notes "
                        "before resolving or cancelling it.",
                        ticket.number,
                    )
                )

    def _prepare_ticket_number(self, values):
        seq = self.env["ir.sequence"]
        if values.get("company_id"):
            seq = seq.with_company(values["company_id"])
        number = seq.next_by_code("helpdesk.ticket.itims")
        return number or super()._prepare_ticket_number(values)

    # ------------------------------------------------------------------
    # CRUD: assigned means In Progress; the engine runs after every change
    # ------------------------------------------------------------------

    @api.model
    def default_get(self, fields):
        defaults = super().default_get(fields)
        # helpdesk_mgmt gives a new ticket to its creator ("Auto assign tickets"); in
        # ITIMS the assignment engine or a technician's Take does: keep an explicit
        # default only
        if "user_id" in defaults and "default_user_id" not in self.env.context:
            del defaults["user_id"]
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        if self.env.context.get(ITIMS_INTERNAL_WRITE):
            return tickets
        tickets._itims_sync_state_and_assignee({"user_id"})
        if not self.env.context.get("itims_skip_assignment"):
            assignees = tickets.user_id.sudo()
            assignees._itims_lock_for_assignment()
            assignees._itims_set_last_assignment()
            tickets.team_id._itims_dispatch(users=assignees)
        return tickets

    def write(self, vals):
        self._itims_check_reopen(vals)
        if self.env.context.get(ITIMS_INTERNAL_WRITE) or not ITIMS_ENGINE_FIELDS & vals.keys():
            return super().write(vals)
        before = {ticket: (ticket.user_id, ticket.itims_state) for ticket in self}
        new_user = self.env["res.users"].browse(vals.get("user_id") or [])
        if not self.env.context.get("itims_skip_assignment"):
            # technicians first, then tickets: the order of the engine
            (self.user_id | new_user).sudo()._itims_lock_for_assignment()
            if new_user and new_user == self.env.user:
                self._itims_check_capacity(
                    new_user,
                    self.filtered(
                        lambda t: (
                            t.user_id != new_user and t.itims_state in ("registered", "in_progress")
                        )
                    ),
                )
        res = super().write(vals)
        self._itims_sync_state_and_assignee(vals.keys())
        self._itims_after_write(before, vals)
        return res

    def unlink(self):
        released = self.filtered(lambda t: t.itims_state == "in_progress").user_id.sudo()
        res = super().unlink()
        released.helpdesk_team_ids._itims_dispatch(users=released)
        return res

    def _itims_internal_write(self, vals):
        return self.with_context(**{ITIMS_INTERNAL_WRITE: True}).write(vals)

    def _itims_sync_state_and_assignee(self, fnames):
        """Keep "assigned" and "In Progress" one and the same thing.

        A Registered ticket given a technician starts (In Progress); an In
        Progress ticket left without technician returns to the queue. When the
        stage was what the user changed, the stage wins: a ticket moved back to
        Registered leaves its technician, a ticket moved to In Progress is taken by
        the user who moved it. Not with ``itims_skip_assignment``.
        """
        if self.env.context.get("itims_skip_assignment"):
            return  # imports and generated history are written as given
        stage_moved = "stage_id" in fnames and "user_id" not in fnames
        for ticket in self:
            if ticket.itims_state == "in_progress" and not ticket.user_id:
                if stage_moved:
                    ticket._itims_start_by_stage_move()
                else:
                    registered = ticket.team_id._itims_stage("registered")
                    ticket._itims_internal_write({"stage_id": registered.id})
            elif ticket.itims_state == "registered" and ticket.user_id:
                if stage_moved:
                    ticket._itims_internal_write({"user_id": False})
                else:
                    in_progress = ticket.team_id._itims_stage("in_progress")
                    ticket._itims_internal_write({"stage_id": in_progress.id})

    def _itims_start_by_stage_move(self):
        self.ensure_one()
        user = self.env.user
        if not user._itims_is_technician():
            raise UserError(
                self.env._("Assign a technician to ticket %s before starting it.", self.number)
            )
        user.sudo()._itims_lock_for_assignment()
        self._itims_check_capacity(user, self)
        self._itims_internal_write({"user_id": user.id})

    def _itims_check_capacity(self, user, tickets):
        """Refuse that a technician gives themselves ``tickets`` beyond their cap
        (the engine never does; a manager assigning someone else decides)."""
        if not tickets or not user._itims_is_technician():
            return
        user = user.sudo()
        load = user._itims_active_ticket_counts().get(user.id, 0)
        if load + len(tickets) > user.itims_max_active_tickets:
            raise UserError(
                self.env._(
                    "You already have %(count)s active tickets and your maximum is "
                    "%(max)s: resolve one before taking another.",
                    count=load,
                    max=user.itims_max_active_tickets,
                )
            )

    def _itims_after_write(self, before, vals):
        now = fields.Datetime.now()
        newly_assigned = self.filtered(lambda t: t.user_id and t.user_id != before[t][0])
        released = self.env["res.users"]
        for ticket in self:
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
        if self.env.user._itims_is_technician():
            self.filtered(
                lambda t: "stage_id" in vals or (t in newly_assigned and t.user_id == self.env.user)
            )._itims_mark_first_response()
        self.filtered(
            lambda t: t.itims_state == "resolved" and before[t][1] != "resolved" and t.equipment_id
        )._itims_create_maintenance_requests()
        if self.env.context.get("itims_skip_assignment"):
            return
        for ticket in newly_assigned:
            previous = before[ticket][0]
            if previous and previous != self.env.user:
                ticket._itims_notify_reassignment(previous)
        assignees = newly_assigned.filtered(lambda t: t.itims_state == "in_progress").user_id
        assignees = assignees.sudo()
        assignees._itims_set_last_assignment(now)
        queued = self.filtered(lambda t: t.itims_state == "registered" and not t.user_id)
        released = released.sudo()
        (released.helpdesk_team_ids | queued.sudo().team_id)._itims_dispatch(
            users=released | assignees
        )

    # ------------------------------------------------------------------
    # Technician actions
    # ------------------------------------------------------------------

    def assign_to_me(self):
        # helpdesk_mgmt's button: in ITIMS assigning oneself is taking the ticket
        for ticket in self:
            ticket.action_take()

    def action_take(self):
        """Backend "Take" button: assign to me, start it, set the first response."""
        self.ensure_one()
        result = self._itims_take(self.env.user)
        if not result["success"]:
            raise UserError(result["message"])
        return True

    def _itims_take(self, user):
        """``user`` takes this Registered ticket from the queue.

        Public API for other addons (Telegram's "Assign to me"): never raises for a
        business refusal, returns ``{"success": bool, "code": str, "message": str}``
        with code ``taken``, ``already_yours``, ``already_taken``, ``not_in_queue``,
        ``not_member``, ``over_cap`` or ``not_allowed``. When two technicians take
        the same ticket at the same moment exactly one wins: both lock the ticket
        row; the second waits, then fails with a serialization error, Odoo replays
        its request and it reads ``already_taken``.
        """
        self.ensure_one()
        # sudo: the checks below are the policy of Take (technician, team member,
        # ticket in the queue, cap); the caller may be a bot acting for the user
        ticket = self.sudo()
        user = user.sudo()

        def result(success, code, message):
            return {"success": success, "code": code, "message": message}

        if not user or not user._itims_is_technician():
            return result(False, "not_allowed", self.env._("Only technicians can take tickets."))
        # technicians first, then tickets: the order of the engine
        user._itims_lock_for_assignment()
        self.env.cr.execute(
            SQL("SELECT id FROM helpdesk_ticket WHERE id = %s FOR NO KEY UPDATE", ticket.id)
        )
        ticket.invalidate_recordset()
        if ticket.user_id == user:
            return result(
                True, "already_yours", self.env._("Ticket %s is already yours.", ticket.number)
            )
        if ticket.user_id:
            return result(
                False,
                "already_taken",
                self.env._(
                    "Ticket %(number)s was already taken by %(user)s.",
                    number=ticket.number,
                    user=ticket.user_id.name,
                ),
            )
        if ticket.itims_state != "registered":
            return result(
                False,
                "not_in_queue",
                self.env._(
                    "Ticket %(number)s is no longer waiting in the queue (%(stage)s).",
                    number=ticket.number,
                    stage=ticket.stage_id.name,
                ),
            )
        if (ticket.team_id and user not in ticket.team_id.user_ids) or (
            ticket.company_id not in user.company_ids
        ):
            return result(
                False,
                "not_member",
                self.env._(
                    "Ticket %(number)s belongs to team %(team)s, which you are not a member of.",
                    number=ticket.number,
                    team=ticket.team_id.display_name or "-",
                ),
            )
        load = user._itims_active_ticket_counts().get(user.id, 0)
        if load >= user.itims_max_active_tickets:
            return result(
                False,
                "over_cap",
                self.env._(
                    "You already have %(count)s active tickets and your maximum is "
                    "%(max)s: resolve one before taking another.",
                    count=load,
                    max=user.itims_max_active_tickets,
                ),
            )
        now = fields.Datetime.now()
        vals = {
            "user_id": user.id,
            "stage_id": ticket.team_id._itims_stage("in_progress").id,
        }
        if not ticket.first_response_date:
            vals["first_response_date"] = now
        # the tracking of the change is authored by the technician
        ticket.with_user(user).sudo()._itims_internal_write(vals)
        user._itims_set_last_assignment(now)
        return result(True, "taken", self.env._("Ticket %s is yours.", ticket.number))

    def action_itims_resolve(self):
        return self._itims_close_wizard_action("resolved")

    def action_itims_cancel(self):
        return self._itims_close_wizard_action("cancelled")

    def _itims_close_wizard_action(self, state):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Resolve Ticket")
            if state == "resolved"
            else self.env._("Cancel Ticket"),
            "res_model": "helpdesk.ticket.close.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_ticket_id": self.id,
                "default_close_state": state,
                "default_resolution_notes": self.resolution_notes,
            },
        }

    def _itims_close(self, state, notes):
        """Resolve or cancel these tickets with the actions performed (public API).
        Frees their technicians: the engine then pulls the oldest waiting tickets."""
        if state not in CLOSING_STATES:
            raise UserError(self.env._("A ticket can only be closed as resolved or cancelled."))
        if not (notes or "").strip():
            raise UserError(self.env._("Describe the actions performed."))
        for ticket in self:
            ticket.write(
                {
                    "resolution_notes": notes,
                    "stage_id": ticket.team_id._itims_stage(state).id,
                }
            )
        return True

    # ------------------------------------------------------------------
    # Engine and history helpers
    # ------------------------------------------------------------------

    def _itims_assign_automatically(self, user):
        """The engine gives this queued ticket to ``user`` (locked by the caller).
        Not a response: first_response_date is left alone."""
        self.ensure_one()
        team = self.team_id
        self._itims_internal_write(
            {"user_id": user.id, "stage_id": team._itims_stage("in_progress").id}
        )
        user._itims_set_last_assignment()
        methods = dict(team._fields["itims_assignment_method"]._description_selection(self.env))
        self._message_log(
            body=self.env._(
                "Assigned automatically to %(user)s (%(method)s).",
                user=user.name,
                method=methods[team.itims_assignment_method],
            ),
            author_id=self.env.ref("base.partner_root").id,
        )

    def _itims_mark_first_response(self):
        """First action of a technician on these tickets (take, message, stage)."""
        todo = self.filtered(lambda t: not t.first_response_date)
        # sudo: posting a message only needs read access; the stamp is bookkeeping
        todo.sudo()._itims_internal_write({"first_response_date": fields.Datetime.now()})

    def _itims_notify_reassignment(self, previous):
        """Tell the previous technician that the ticket was given to someone else."""
        self.ensure_one()
        self.message_post(
            body=self.env._(
                "Ticket %(number)s was reassigned from %(previous)s to %(user)s by %(author)s.",
                number=self.number,
                previous=previous.name,
                user=self.user_id.name,
                author=self.env.user.name,
            ),
            message_type="notification",
            subtype_xmlid="mail.mt_note",
            partner_ids=previous.partner_id.ids,
        )

    def _itims_create_maintenance_requests(self):
        """Leave a done corrective maintenance request, carrying the resolution
        notes, in the history of the equipment of each resolved ticket. A ticket
        resolved again (after a reopening) updates its request: one history entry
        per incident."""
        known = self.filtered(lambda t: t.maintenance_request_ids.equipment_id == t.equipment_id)
        for ticket in known:
            # sudo: as below, the desk's history whatever the request's owner
            ticket.maintenance_request_ids.sudo().write(
                {"description": plaintext2html(ticket.resolution_notes or "")}
            )
        self -= known
        if not self:
            return self.env["maintenance.request"]
        stage = self.env["maintenance.stage"].search(
            [("done", "=", True)], order="sequence, id", limit=1
        )
        now = fields.Datetime.now()
        vals_list = []
        for ticket in self:
            started = ticket.assigned_date or ticket.create_date or now
            vals_list.append(
                {
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
            )
        # sudo: the history is written for the desk; hr_maintenance makes the
        # equipment's employee the owner, so the resolving technician may not own it
        requests = self.env["maintenance.request"].sudo().create(vals_list)
        # maintenance schedules a to-do for every request with a date; this one is done
        requests.activity_unlink(["maintenance.mail_act_maintenance_request"])
        for ticket, request in zip(self, requests, strict=True):
            ticket._message_log(
                body=self.env._(
                    "Maintenance record %(request)s added to the history of %(equipment)s.",
                    request=request.name,
                    equipment=ticket.equipment_id.display_name,
                )
            )
        return requests

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        author_id = kwargs.get("author_id")
        if (
            kwargs.get("message_type") == "comment"
            and (not author_id or author_id == self.env.user.partner_id.id)
            and self.env.user._itims_is_technician()
        ):
            self._itims_mark_first_response()
        return message

    def _itims_reopen(self, reason):
        """Reopen these closed tickets for ``reason`` (public API): back to Registered,
        in the queue where the engine gives them to a technician with room; the
        reason is logged in their history."""
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for reopening the ticket."))
        for ticket in self:
            if ticket.itims_state not in CLOSING_STATES:
                raise UserError(
                    self.env._("Ticket %s is neither resolved nor cancelled.", ticket.number)
                )
            ticket.with_context(itims_reopen=True).write(
                {"stage_id": ticket.team_id._itims_stage("registered").id, "user_id": False}
            )
            ticket.message_post(
                body=plaintext2html(self.env._("Reopened: %s", reason.strip())),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _itims_check_reopen(self, vals):
        """A closed ticket opens again only through Reopen, which asks the reason."""
        if "stage_id" not in vals or self.env.context.get("itims_reopen"):
            return
        stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
        if stage.itims_state in CLOSING_STATES:
            return
        closed = self.filtered(lambda t: t.itims_state in CLOSING_STATES)
        if closed:
            raise UserError(
                self.env._(
                    "Ticket %s is closed: reopen it with the Reopen button, giving the reason.",
                    closed[0].number,
                )
            )

    def _track_template(self, changes):
        res = super()._track_template(changes)
        # the requester hears of the closing once: a ticket resolved again after a
        # reopening sends no second e-mail
        if "stage_id" in res and self[0].itims_closing_notified:
            del res["stage_id"]
        elif "stage_id" in res and self[0].itims_state in CLOSING_STATES:
            # plain SQL: tracking runs in the pre-commit hooks, after the last flush
            self.env.cr.execute(
                SQL(
                    "UPDATE helpdesk_ticket SET itims_closing_notified = TRUE WHERE id = %s",
                    self[0].id,
                )
            )
            self[0].invalidate_recordset(["itims_closing_notified"])
        return res
