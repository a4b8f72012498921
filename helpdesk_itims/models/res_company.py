import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Peruvian DNI: eight digits
DEFAULT_NATIONAL_ID_REGEX = r"^\d{8}$"
# longer values are refused before the company's pattern runs
NATIONAL_ID_MAX = 32


class ResCompany(models.Model):
    _inherit = "res.company"

    itims_national_id_regex = fields.Char(
        string="National ID Format",
        default=DEFAULT_NATIONAL_ID_REGEX,
        required=True,
        help="Regular expression every employee's national ID must match as a whole "
        "(default: Peruvian DNI, eight digits). \\d means the ASCII digits 0-9 only.",
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

    def _itims_clean_national_id(self, value):
        """Return ``value`` stripped if it is a national ID of this company's
        format, else False. The one definition of the format, used by the public
        routes and the employee constraint.

        The whole value must match (``re.fullmatch``) with ``re.ASCII``: ``\\d``
        then means 0-9 only, never full-width or Arabic-Indic digits.
        """
        if not isinstance(value, str):
            return False
        value = value.strip()
        if not value or len(value) > NATIONAL_ID_MAX or "\x00" in value:
            return False
        pattern = (self[:1].itims_national_id_regex if self else None) or DEFAULT_NATIONAL_ID_REGEX
        try:
            matched = re.fullmatch(pattern, value, flags=re.ASCII)
        except re.error:
            # a format saved before the constraint existed
            matched = re.fullmatch(DEFAULT_NATIONAL_ID_REGEX, value, flags=re.ASCII)
        return value if matched else False
