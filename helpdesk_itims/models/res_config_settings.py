from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    itims_national_id_regex = fields.Char(
        related="company_id.itims_national_id_regex", readonly=False
    )
    itims_allow_unknown_requester = fields.Boolean(
        related="company_id.itims_allow_unknown_requester", readonly=False
    )
