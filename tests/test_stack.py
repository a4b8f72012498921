"""Cross-addon checks of the installed ITIMS stack (run by `make test` through pytest-odoo)."""

from odoo.tests import TransactionCase, tagged

ITIMS_ADDONS = (
    "helpdesk_itims",
    "helpdesk_itims_telegram",
    "helpdesk_itims_chatbot",
    "helpdesk_itims_kpi",
)


@tagged("post_install", "-at_install")
class TestStack(TransactionCase):
    def test_four_addons_installed_with_their_dependencies(self):
        modules = self.env["ir.module.module"].search([("name", "in", ITIMS_ADDONS)])
        self.assertEqual(sorted(modules.mapped("name")), sorted(ITIMS_ADDONS))
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        for dependency in (
            "helpdesk_mgmt",
            "helpdesk_mgmt_sla",
            "hr_maintenance",
            "website",
            "base_automation",
            "maintenance_helpdesk_mgmt",
            "helpdesk_mgmt_rating",
        ):
            module = self.env["ir.module.module"].search([("name", "=", dependency)])
            self.assertEqual(module.state, "installed", dependency)

    def test_spanish_is_available(self):
        self.assertTrue(
            self.env["res.lang"].search([("code", "=", "es_ES"), ("active", "=", True)])
        )
