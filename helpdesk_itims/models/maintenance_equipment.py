from odoo import api, fields, models

# shared devices of an office that its people use, offered on the public form
SHARED_USER_ASSET_TYPES = ("printer", "scanner", "projector")
# never offered on the public form, whoever they are assigned to
INFRASTRUCTURE_ASSET_TYPES = ("server", "network")


class MaintenanceEquipment(models.Model):
    _inherit = "maintenance.equipment"

    itims_asset_tag = fields.Char(string="Asset Tag", index=True, copy=False, tracking=True)
    itims_asset_type = fields.Selection(
        selection=[
            ("desktop", "Desktop Computer"),
            ("laptop", "Laptop"),
            ("cpu", "CPU / Tower"),
            ("monitor", "Monitor"),
            ("printer", "Printer"),
            ("scanner", "Scanner"),
            ("projector", "Projector"),
            ("network", "Network Device"),
            ("server", "Server"),
            ("phone", "IP Phone"),
            ("other", "Other"),
        ],
        string="Asset Type",
        index=True,
        tracking=True,
    )
    itims_lifecycle_status = fields.Selection(
        selection=[
            ("in_use", "In Use"),
            ("in_stock", "In Stock"),
            ("in_repair", "In Repair"),
            ("retired", "Retired"),
        ],
        string="Lifecycle Status",
        default="in_use",
        required=True,
        index=True,
        tracking=True,
    )
    helpdesk_ticket_ids = fields.One2many(
        comodel_name="helpdesk.ticket", inverse_name="equipment_id", string="Incidents"
    )
    helpdesk_ticket_count = fields.Integer(
        string="Incident Count", compute="_compute_helpdesk_ticket_count"
    )

    # an asset is found by its tag (GRA-CPU-0003) in every asset field and search
    _rec_names_search = ["name", "itims_asset_tag", "serial_no"]

    _sql_constraints = [
        (
            "itims_asset_tag_company_uniq",
            "UNIQUE(itims_asset_tag, company_id)",
            "The asset tag must be unique per company.",
        ),
    ]

    @api.depends("itims_asset_tag")
    def _compute_display_name(self):
        res = super()._compute_display_name()
        for equipment in self.filtered("itims_asset_tag"):
            equipment.display_name = f"[{equipment.itims_asset_tag}] {equipment.display_name}"
        return res

    @api.depends("helpdesk_ticket_ids")
    def _compute_helpdesk_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("equipment_id", "in", self.ids)], ["equipment_id"], ["__count"]
            )
        )
        for equipment in self:
            equipment.helpdesk_ticket_count = counts.get(equipment, 0)

    def action_view_helpdesk_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action.update(
            domain=[("equipment_id", "=", self.id)],
            context={"default_equipment_id": self.id},
        )
        return action
