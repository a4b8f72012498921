from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

CLOSING_STATES = ("resolved", "cancelled")


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

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
        index="btree_not_null",
        tracking=True,
        check_company=True,
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
