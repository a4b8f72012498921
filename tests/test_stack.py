"""Cross-addon checks of the installed ITIMS stack (run by `make test` through pytest-odoo)."""

from pathlib import Path

from odoo.tests import TransactionCase, tagged

# the addons of this repository: the directories holding a manifest (as scripts/common.sh)
ITIMS_ADDONS = tuple(
    sorted(
        manifest.parent.name for manifest in Path(__file__).parent.parent.glob("*/__manifest__.py")
    )
)


@tagged("post_install", "-at_install")
class TestStack(TransactionCase):
    def test_four_addons_installed_with_their_dependencies(self):
        self.assertIn("helpdesk_itims", ITIMS_ADDONS)
        self.assertEqual(len(ITIMS_ADDONS), 4, ITIMS_ADDONS)
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
