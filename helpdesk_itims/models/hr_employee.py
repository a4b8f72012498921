from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .maintenance_equipment import INFRASTRUCTURE_ASSET_TYPES, SHARED_USER_ASSET_TYPES


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    # the public intake form looks requesters up by national ID
    identification_id = fields.Char(index=True)

    @api.constrains("identification_id", "company_id")
    def _check_itims_identification_id(self):
        for employee in self.filtered("identification_id"):
            company = employee.company_id or self.env.company
            national_id = employee.identification_id
            if company._itims_clean_national_id(national_id) != national_id:
                raise ValidationError(
                    self.env._(
                        "The national ID %(national_id)s of %(employee)s does not "
                        "match the format %(pattern)s.",
                        national_id=national_id,
                        employee=employee.name,
                        pattern=company.itims_national_id_regex,
                    )
                )
            duplicate = self.sudo().search(
                [
                    ("id", "!=", employee.id),
                    ("identification_id", "=", national_id),
                    ("company_id", "=", employee.company_id.id),
                ],
                limit=1,
            )
            if duplicate:
                raise ValidationError(
                    self.env._(
                        "Another employee of this company already has the national ID %s.",
                        national_id,
                    )
                )

    def _itims_offered_equipment(self):
        """Assets a requester may report an incident on: their own (never servers
        or network gear, even when assigned to them) and the shared user-facing
        devices of their office (printers, scanners, projectors). Retired assets
        and other companies' are left out.
        """
        self.ensure_one()
        domain = [
            ("employee_id", "=", self.id),
            ("itims_asset_type", "not in", list(INFRASTRUCTURE_ASSET_TYPES)),
        ]
        if self.department_id:
            shared = [
                ("employee_id", "=", False),
                ("department_id", "=", self.department_id.id),
                ("itims_asset_type", "in", list(SHARED_USER_ASSET_TYPES)),
            ]
            domain = ["|", "&", *domain, "&", "&", *shared]
        return self.env["maintenance.equipment"].search(
            domain
            + [
                ("company_id", "in", [False, self.company_id.id]),
                ("itims_lifecycle_status", "!=", "retired"),
            ],
            order="itims_asset_tag, name, id",
        )
