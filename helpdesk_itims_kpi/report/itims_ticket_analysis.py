# Copyright 2026 ITIMS contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models, tools
from odoo.tools import SQL


def _asset_types(model):
    return model.env["maintenance.equipment"]._fields["itims_asset_type"].selection


class ItimsTicketAnalysis(models.Model):
    """One row per ticket with its times, SLA and rating: a SQL view read by the
    pivot and graph views. Its expressions are itims.kpi's, so the pivot's totals
    equal itims.kpi.summary() on the same period."""

    _name = "itims.ticket.analysis"
    _description = "Ticket Analysis"
    _auto = False
    _rec_name = "number"
    _order = "create_date desc"

    ticket_id = fields.Many2one(comodel_name="helpdesk.ticket", readonly=True)
    number = fields.Char(readonly=True)
    name = fields.Char(string="Title", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    office_id = fields.Many2one(comodel_name="hr.department", readonly=True)
    category_id = fields.Many2one(comodel_name="helpdesk.ticket.category", readonly=True)
    team_id = fields.Many2one(comodel_name="helpdesk.ticket.team", readonly=True)
    user_id = fields.Many2one(comodel_name="res.users", string="Technician", readonly=True)
    channel_id = fields.Many2one(comodel_name="helpdesk.ticket.channel", readonly=True)
    priority = fields.Selection(
        selection=[("0", "Low"), ("1", "Medium"), ("2", "High"), ("3", "Very High")],
        readonly=True,
    )
    itims_state = fields.Selection(
        selection=[
            ("registered", "Registered"),
            ("in_progress", "In Progress"),
            ("resolved", "Resolved"),
            ("cancelled", "Cancelled"),
        ],
        string="State",
        readonly=True,
    )
    create_date = fields.Datetime(string="Created on", readonly=True)
    assigned_date = fields.Datetime(readonly=True)
    first_response_date = fields.Datetime(readonly=True)
    closed_date = fields.Datetime(readonly=True)
    equipment_id = fields.Many2one(comodel_name="maintenance.equipment", readonly=True)
    asset_type = fields.Selection(
        selection=_asset_types,
        readonly=True,
    )
    sla_deadline = fields.Datetime(string="SLA Deadline", readonly=True)
    ticket_count = fields.Integer(string="Tickets", readonly=True)
    resolved_count = fields.Integer(string="Resolved", readonly=True)
    cancelled_count = fields.Integer(string="Cancelled", readonly=True)
    resolution_minutes = fields.Float(
        string="Resolution Time (min)", aggregator="avg", readonly=True
    )
    response_minutes = fields.Float(string="Response Time (min)", aggregator="avg", readonly=True)
    rating = fields.Float(string="Rating (1-5)", aggregator="avg", readonly=True)
    rated_count = fields.Integer(string="Rated", readonly=True)
    sla_count = fields.Integer(
        string="Resolved with SLA",
        readonly=True,
        help="Resolved tickets that have SLA lines.",
    )
    sla_met_count = fields.Integer(
        string="SLA Met",
        readonly=True,
        help="Resolved tickets all of whose SLA lines were accomplished.",
    )

    def _query(self):
        kpi = self.env["itims.kpi"]
        minutes = kpi._kpi_minutes_sql
        return SQL(
            """
            SELECT t.id AS id,
                   t.id AS ticket_id,
                   t.number AS number,
                   t.name AS name,
                   t.company_id AS company_id,
                   t.office_id AS office_id,
                   t.category_id AS category_id,
                   t.team_id AS team_id,
                   t.user_id AS user_id,
                   t.channel_id AS channel_id,
                   t.priority AS priority,
                   t.itims_state AS itims_state,
                   t.create_date AS create_date,
                   t.assigned_date AS assigned_date,
                   t.first_response_date AS first_response_date,
                   t.closed_date AS closed_date,
                   t.equipment_id AS equipment_id,
                   e.itims_asset_type AS asset_type,
                   (SELECT MIN(s.deadline) FROM helpdesk_ticket_sla s
                     WHERE s.ticket_id = t.id) AS sla_deadline,
                   1 AS ticket_count,
                   CASE WHEN t.itims_state = 'resolved' THEN 1 ELSE 0 END AS resolved_count,
                   CASE WHEN t.itims_state = 'cancelled' THEN 1 ELSE 0 END AS cancelled_count,
                   CASE WHEN t.itims_state = 'resolved' THEN %(resolution)s END
                       AS resolution_minutes,
                   CASE WHEN t.first_response_date IS NOT NULL THEN %(response)s END
                       AS response_minutes,
                   rt.rating AS rating,
                   CASE WHEN rt.rating IS NULL THEN 0 ELSE 1 END AS rated_count,
                   CASE WHEN t.itims_state = 'resolved' AND sm.met IS NOT NULL
                        THEN 1 ELSE 0 END AS sla_count,
                   CASE WHEN t.itims_state = 'resolved' THEN COALESCE(sm.met, 0)
                        ELSE 0 END AS sla_met_count
              FROM helpdesk_ticket t
              LEFT JOIN maintenance_equipment e ON e.id = t.equipment_id
              CROSS JOIN LATERAL (SELECT %(rating)s AS rating) rt
              CROSS JOIN LATERAL (SELECT %(sla_met)s AS met) sm
             WHERE t.active
            """,
            resolution=minutes(SQL("t.closed_date"), SQL("t.create_date")),
            response=minutes(SQL("t.first_response_date"), kpi._kpi_response_start_sql()),
            rating=kpi._kpi_rating_sql(),
            sla_met=kpi._kpi_sla_met_sql(),
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
