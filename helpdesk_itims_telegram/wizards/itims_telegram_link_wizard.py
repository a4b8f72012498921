import base64

from odoo import api, fields, models


class ItimsTelegramLinkWizard(models.TransientModel):
    _name = "itims.telegram.link.wizard"
    _description = "Connect Telegram"

    user_id = fields.Many2one("res.users", required=True, readonly=True)
    link = fields.Char(readonly=True)
    qr_code = fields.Binary(compute="_compute_qr_code", string="QR Code")

    @api.depends("link")
    def _compute_qr_code(self):
        Report = self.env["ir.actions.report"]
        for wizard in self:
            if wizard.link:
                png = Report.barcode("QR", wizard.link, width=240, height=240)
                wizard.qr_code = base64.b64encode(png)
            else:
                wizard.qr_code = False
