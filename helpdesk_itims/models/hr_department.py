from odoo import fields, models


class HrDepartment(models.Model):
    _inherit = "hr.department"

    itims_office_code = fields.Char(string="Office Code", index=True)
    itims_building = fields.Char(string="Building")
    itims_floor = fields.Char(string="Floor")
    itims_phone_extension = fields.Char(string="Phone Extension")

    _sql_constraints = [
        (
            "itims_office_code_company_uniq",
            "UNIQUE(itims_office_code, company_id)",
            "The office code must be unique per company.",
        ),
    ]
