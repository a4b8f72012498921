from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

from .itims_assignment import INTERNAL_WRITE

CLOSING_STATES = ("resolved", "cancelled")
# Writing any of these may change who holds the ticket or a technician's load: the
# assignment engine (models/itims_assignment.py) runs around such writes.
ITIMS_ENGINE_FIELDS = {"user_id", "stage_id", "team_id", "active", "company_id"}


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

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        stages = super()._read_group_stage_ids(stages, domain)
        if self.env.context.get("itims_my_tickets"):
            # a technician's tickets are In Progress from the moment they are theirs:
            # no empty Registered column first (a phone's kanban opens on the first)
            stages = stages.filtered(lambda stage: stage.itims_state != "registered")
        return stages

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
        engine = self.env["itims.assignment"]
        if not self.env.context.get(INTERNAL_WRITE):
            engine._on_ticket_create(tickets)
        return tickets

    def write(self, vals):
        self._itims_check_reopen(vals)
        engine = self.env["itims.assignment"]
        if self.env.context.get(INTERNAL_WRITE) or not ITIMS_ENGINE_FIELDS & vals.keys():
            return super().write(vals)
        before = engine._before_ticket_write(self, vals)
        res = super().write(vals)
        engine._sync_state_and_assignee(self, vals.keys())
        self._itims_after_write(before, vals)
        engine._after_ticket_write(self, before)
        return res

    def unlink(self):
        released = self.filtered(lambda t: t.itims_state == "in_progress").user_id
        res = super().unlink()
        self.env["itims.assignment"]._technicians_got_room(released)
        return res

    def _itims_after_write(self, before, vals):
        """What a change of assignee or stage means besides the engine: the first
        response, the maintenance history, the previous technician told."""
        newly_assigned = self.filtered(lambda t: t.user_id and t.user_id != before[t][0])
        if self.env.user._itims_is_technician():
            self.filtered(
                lambda t: "stage_id" in vals or (t in newly_assigned and t.user_id == self.env.user)
            )._itims_mark_first_response()
        self.env["maintenance.request"]._itims_record_ticket_repairs(
            self.filtered(
                lambda t: (
                    t.itims_state == "resolved" and before[t][1] != "resolved" and t.equipment_id
                )
            )
        )
        if self.env.context.get("itims_skip_assignment"):
            return
        for ticket in newly_assigned:
            previous = before[ticket][0]
            if previous and previous != self.env.user:
                ticket._itims_notify_reassignment(previous)

    # ------------------------------------------------------------------
    # Technician actions
    # ------------------------------------------------------------------

    def assign_to_me(self):
        # helpdesk_mgmt's button: in ITIMS assigning oneself is taking the ticket
        for ticket in self:
            ticket.action_take()

    def action_take(self):
        """Backend "Take" button: assign to me, start it, set the first response.

        Raises on a refusal (RPC callers). From the screens (context
        ``itims_take_feedback``, set by the buttons) it answers with a notification
        instead and the screen refreshes: the ticket leaves the queue (or the form
        shows it In Progress); a row taken a moment ago by someone else leaves the
        stale list instead of keeping an active button.
        """
        self.ensure_one()
        return self._itims_feedback(self._itims_take(self.env.user))

    def _itims_feedback(self, result):
        """What a button answers with the engine's ``result``: raises on a refusal
        for RPC callers; from the screens (context ``itims_take_feedback``), a
        notification, then the view reloads."""
        if not self.env.context.get("itims_take_feedback"):
            if not result["success"]:
                raise UserError(result["message"])
            return True
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": result["message"],
                "type": "success" if result["success"] else "warning",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _itims_take(self, user):
        """``user`` takes this Registered ticket from the queue.

        The entry point of every "take" (the backend button, Telegram's "Assign to
        me"): the assignment engine's ``_take`` under its one refusal rule. Never
        raises for a business refusal, returns ``{"success": bool, "code": str,
        "message": str}`` with code ``taken``, ``already_yours``, ``already_taken``,
        ``not_in_queue``, ``not_member``, ``over_cap`` or ``not_allowed``. When two
        technicians take the same ticket at the same moment exactly one wins: the
        second fails with a serialization error, Odoo replays its request and it
        reads ``already_taken``.
        """
        self.ensure_one()
        return self.env["itims.assignment"]._take(self, user)

    def _itims_release(self, user):
        """``user`` puts this In Progress ticket back in its team's FIFO queue.

        The entry point of every release (Telegram's "Back to the queue"): back to
        Registered and unassigned, at its place by creation date, then the engine
        serves the team. Refused unless ``user`` holds the ticket or is a manager.
        Never raises for a refusal, returns ``{"success", "code", "message"}`` with
        code ``released``, ``not_in_progress`` or ``not_allowed``.
        """
        self.ensure_one()
        return self.env["itims.assignment"]._release(self, user)

    # ------------------------------------------------------------------
    # History helpers
    # ------------------------------------------------------------------

    def _itims_mark_first_response(self):
        """First action of a technician on these tickets (take, message, stage)."""
        todo = self.filtered(lambda t: not t.first_response_date)
        # sudo: posting a message only needs read access; the stamp is bookkeeping
        todo.sudo().write({"first_response_date": fields.Datetime.now()})

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
