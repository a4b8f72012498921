"""The demo manager's screens on the demo history, in Spanish: the dashboard, the
pivot behind a card and the performance report. With ITIMS_SCREENSHOTS=<dir> set
(scripts/screenshots.sh), each leaves its picture there for the README."""

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.helpdesk_itims.tests.common import activate_spanish
from odoo.addons.helpdesk_itims.tests.test_backend_roles import screenshot_as

DASHBOARD = "/odoo/action-helpdesk_itims_kpi.itims_kpi_dashboard_action"


@tagged("post_install", "-at_install")
class TestKpiDemoScreens(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_spanish(cls.env, modules=("helpdesk_mgmt", "helpdesk_itims", "helpdesk_itims_kpi"))
        cls.manager = cls.env.ref("helpdesk_itims.res_users_jefesoporte_demo")
        cls.manager.write({"lang": "es_ES", "tz": "America/Lima"})

    def test_dashboard_on_the_demo_history(self):
        with screenshot_as("kpi_dashboard"):
            self.start_tour(DASHBOARD, "itims_kpi_demo_dashboard_tour", login="jefesoporte")

    def test_pivot_behind_a_card(self):
        with screenshot_as("kpi_pivot"):
            self.start_tour(DASHBOARD, "itims_kpi_demo_pivot_tour", login="jefesoporte")

    def test_performance_report_of_the_team(self):
        """The report the PDF prints, as HTML (same QWeb), for the demo team over the
        last 30 days: one row per technician with tickets resolved."""
        today = fields.Date.context_today(self.manager.with_user(self.manager))
        wizard = (
            self.env["itims.performance.report.wizard"]
            .with_user(self.manager)
            .create({"date_from": fields.Date.subtract(today, days=30), "date_to": today})
        )
        lines = wizard._itims_performance_lines()
        self.assertTrue(lines, "the demo history has resolved tickets in the last 30 days")
        url = f"/report/html/helpdesk_itims_kpi.technician_performance_report/{wizard.id}"
        with screenshot_as("kpi_report"):
            self.browser_js(
                url,
                "console.log('test successful')",
                ready="!!document.querySelector('table tbody tr')",
                login="jefesoporte",
            )
