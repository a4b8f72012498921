# Copyright 2026 ITIMS contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models, tools
from odoo.tools import SQL

REPEAT_DAYS = 30


def _asset_types(model):
    return model.env["maintenance.equipment"]._fields["itims_asset_type"].selection


class ItimsAssetFailure(models.Model):
    """One row per asset with incidents: how often it fails and what it costs.

    A repeat incident is a ticket on the asset created within 30 days after the
    closing of a resolved ticket on the same asset; the mean time between failures is
    the mean interval between the creations of its successive incidents."""

    _name = "itims.asset.failure"
    _description = "Asset Failure Analysis"
    _auto = False
    _order = "repeat_count desc, incident_count desc"

    equipment_id = fields.Many2one(comodel_name="maintenance.equipment", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    asset_type = fields.Selection(selection=_asset_types, readonly=True)
    model = fields.Char(readonly=True)
    category_id = fields.Many2one(comodel_name="maintenance.equipment.category", readonly=True)
    department_id = fields.Many2one(comodel_name="hr.department", string="Office", readonly=True)
    incident_count = fields.Integer(string="Incidents", readonly=True)
    repeat_count = fields.Integer(string="Repeat Incidents", readonly=True)
    mtbf_days = fields.Float(
        string="Mean Time Between Failures (days)", aggregator="avg", readonly=True
    )
    repair_minutes = fields.Float(string="Repair Time (min)", readonly=True)
    last_incident_date = fields.Datetime(readonly=True)

    def _query(self):
        return SQL(
            """
            WITH incidents AS (
                SELECT t.equipment_id, t.create_date, t.closed_date, t.itims_state,
                       LAG(t.create_date) OVER w AS previous_create,
                       (SELECT MAX(p.closed_date) FROM helpdesk_ticket p
                         WHERE p.equipment_id = t.equipment_id AND p.active AND p.id <> t.id
                           AND p.itims_state = 'resolved' AND p.closed_date <= t.create_date
                       ) AS previous_fix
                  FROM helpdesk_ticket t
                 WHERE t.active AND t.equipment_id IS NOT NULL
                WINDOW w AS (PARTITION BY t.equipment_id ORDER BY t.create_date, t.id)
            )
            SELECT e.id AS id,
                   e.id AS equipment_id,
                   e.company_id AS company_id,
                   e.itims_asset_type AS asset_type,
                   e.model AS model,
                   e.category_id AS category_id,
                   e.department_id AS department_id,
                   COUNT(*) AS incident_count,
                   COUNT(*) FILTER (WHERE i.create_date - i.previous_fix <= %(repeat)s)
                       AS repeat_count,
                   AVG(EXTRACT(EPOCH FROM (i.create_date - i.previous_create)) / 86400.0)
                       AS mtbf_days,
                   COALESCE(SUM(EXTRACT(EPOCH FROM (i.closed_date - i.create_date)) / 60.0)
                       FILTER (WHERE i.itims_state = 'resolved'), 0) AS repair_minutes,
                   MAX(i.create_date) AS last_incident_date
              FROM incidents i
              JOIN maintenance_equipment e ON e.id = i.equipment_id
             GROUP BY e.id
            """,
            repeat=SQL("interval %s", f"{REPEAT_DAYS} days"),
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )

    def action_open_tickets(self):
        self.ensure_one()
        return self.equipment_id.action_view_helpdesk_tickets()

    def action_create_corrective_request(self):
        """A corrective maintenance request for the asset, opened for the manager to
        complete (maintenance rights decide who may save it)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Corrective Maintenance"),
            "res_model": "maintenance.request",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_equipment_id": self.equipment_id.id,
                "default_maintenance_type": "corrective",
                "default_name": self.env._(
                    "Repeated failures of %(asset)s", asset=self.equipment_id.display_name
                ),
            },
        }
