import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    itims_national_id_regex = fields.Char(
        string="National ID Format",
        default=r"^\d{8}$",
        required=True,
        help="Regular expression every employee's national ID must match "
        "(default: Peruvian DNI, eight digits).",
    )
    itims_allow_unknown_requester = fields.Boolean(
        string="Accept Unknown National IDs",
        help="Accept incidents from national IDs that match no employee; the "
        "requester then types their name and office by hand.",
    )

    @api.constrains("itims_national_id_regex")
    def _check_itims_national_id_regex(self):
        for company in self:
            try:
                re.compile(company.itims_national_id_regex)
            except re.error as err:
                raise ValidationError(
                    self.env._("The national ID format is not a valid regular expression: %s", err)
                ) from err
