"""The Telegram screens as their users see them, in Spanish: a technician links
Telegram from their profile, a manager reads the board's Telegram column."""

from odoo.tests import HttpCase, tagged

from odoo.addons.helpdesk_itims.tests.common import activate_spanish
from odoo.addons.helpdesk_itims.tests.test_backend_roles import screenshot_as

from .common import PARAM


@tagged("post_install", "-at_install")
class TestTelegramTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_spanish(cls.env, ("helpdesk_mgmt", "helpdesk_itims", "helpdesk_itims_telegram"))
        ICP = cls.env["ir.config_parameter"].sudo()
        ICP.set_param(PARAM % "bot_username", "soporte_ti_bot")
        cls.technician = cls.env.ref("helpdesk_itims.res_users_tecnico4_demo")
        cls.manager = cls.env.ref("helpdesk_itims.res_users_jefesoporte_demo")
        (cls.technician | cls.manager).lang = "es_ES"

    def test_technician_connects_telegram(self):
        with screenshot_as("telegram_connect"):
            self.start_tour("/odoo", "itims_telegram_connect_tour", login="tecnico4")
        # the tour's link is the one stored: hashed, valid for an hour
        self.assertTrue(self.technician.sudo().itims_telegram_link_hash)

    def test_manager_reads_the_telegram_column(self):
        self.start_tour("/odoo/itims-workload", "itims_telegram_board_tour", login="jefesoporte")
