from odoo import api, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    @api.model_create_multi
    def create(self, vals_list):
        employees = super().create(vals_list)
        self.env["itims.chatbot"]._itims_sanitizer_changed()
        return employees

    def write(self, vals):
        result = super().write(vals)
        if {"name", "active", "company_id"} & set(vals):
            self.env["itims.chatbot"]._itims_sanitizer_changed()
        return result

    def unlink(self):
        result = super().unlink()
        self.env["itims.chatbot"]._itims_sanitizer_changed()
        return result
