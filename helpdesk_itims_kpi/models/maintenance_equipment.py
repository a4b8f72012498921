# Copyright 2026 ITIMS contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class MaintenanceEquipment(models.Model):
    _inherit = "maintenance.equipment"

    itims_repeat_incident_count = fields.Integer(
        string="Repeat Incidents",
        compute="_compute_itims_repeat_incident_count",
        groups="helpdesk_itims.group_itims_technician,helpdesk_itims.group_itims_monitor",
        help="Incidents reported within 30 days after a resolved one on this asset.",
    )

    def _compute_itims_repeat_incident_count(self):
        rows = self.env["itims.asset.failure"].search_read(
            [("equipment_id", "in", self.ids)], ["equipment_id", "repeat_count"]
        )
        counts = {row["equipment_id"][0]: row["repeat_count"] for row in rows}
        for equipment in self:
            equipment.itims_repeat_incident_count = counts.get(equipment.id, 0)

    def action_view_itims_failure_analysis(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_itims_kpi.itims_asset_failure_action"
        )
        action.update(domain=[("equipment_id", "=", self.id)], context={})
        return action
