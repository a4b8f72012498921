import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    # the public intake form looks requesters up by national ID
    identification_id = fields.Char(index=True)

    @api.constrains("identification_id", "company_id")
    def _check_itims_identification_id(self):
        for employee in self.filtered("identification_id"):
            company = employee.company_id or self.env.company
            pattern = company.itims_national_id_regex or r"^\d{8}$"
            if not re.match(pattern, employee.identification_id):
                raise ValidationError(
                    self.env._(
                        "The national ID %(national_id)s of %(employee)s does not "
                        "match the format %(pattern)s.",
                        national_id=employee.identification_id,
                        employee=employee.name,
                        pattern=pattern,
                    )
                )
            duplicate = self.sudo().search(
                [
                    ("id", "!=", employee.id),
                    ("identification_id", "=", employee.identification_id),
                    ("company_id", "=", employee.company_id.id),
                ],
                limit=1,
            )
            if duplicate:
                raise ValidationError(
                    self.env._(
                        "Another employee of this company already has the national ID %s.",
                        employee.identification_id,
                    )
                )
