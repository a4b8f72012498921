from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import KpiCommon, at


@tagged("post_install", "-at_install")
class TestAssetFailure(KpiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.printer = cls.env["maintenance.equipment"].create(
            {
                "name": "Impresora HP LaserJet",
                "model": "M404dn",
                "itims_asset_type": "printer",
                "itims_asset_tag": "GR-IMP-0042",
            }
        )
        cls.quiet = cls.env["maintenance.equipment"].create(
            {"name": "Monitor LG", "itims_asset_type": "monitor"}
        )
        tech = cls.technician
        # resolved in 2 h; 10 days later again (a repeat), resolved in 1 h; 40 days
        # after that fix again (not a repeat), still open
        for created, state, closed in (
            (at(0), "resolved", at(120)),
            (at(0, days=10), "resolved", at(60, days=10)),
            (at(60, days=50), "in_progress", None),
        ):
            ticket = cls._event_ticket(created, state, tech, assigned=created, closed=closed)
            ticket.equipment_id = cls.printer
        cls._event_ticket(at(0), "resolved", tech, closed=at(30)).equipment_id = cls.quiet

    def test_figures(self):
        row = (
            self.env["itims.asset.failure"]
            .with_user(self.manager)
            .search([("equipment_id", "=", self.printer.id)])
        )
        self.assertEqual(row.incident_count, 3)
        self.assertEqual(row.repeat_count, 1)
        # intervals between creations: 10 days, then 40 days and 1 hour
        self.assertAlmostEqual(row.mtbf_days, (10 + 40 + 1 / 24) / 2, 4)
        self.assertAlmostEqual(row.repair_minutes, 180.0, 2)
        self.assertEqual(row.asset_type, "printer")
        self.assertEqual(row.model, "M404dn")
        quiet = self.env["itims.asset.failure"].search([("equipment_id", "=", self.quiet.id)])
        self.assertEqual((quiet.incident_count, quiet.repeat_count), (1, 0))
        self.assertFalse(quiet.mtbf_days)

    def test_problem_assets_and_smart_button(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_itims_kpi.itims_asset_failure_action"
        )
        problem = self.env["itims.asset.failure"].search(
            [("equipment_id", "in", (self.printer | self.quiet).ids)]
            + ["|", ("repeat_count", ">=", 1), ("incident_count", ">=", 3)]
        )
        self.assertEqual(problem.equipment_id, self.printer)
        self.assertIn("search_default_problem", action["context"])
        printer = self.printer.with_user(self.monitor)
        self.assertEqual(printer.itims_repeat_incident_count, 1)
        button = printer.action_view_itims_failure_analysis()
        self.assertEqual(button["domain"], [("equipment_id", "=", self.printer.id)])

    def test_manager_opens_corrective_request(self):
        row = self.env["itims.asset.failure"].search([("equipment_id", "=", self.printer.id)])
        action = row.with_user(self.manager).action_create_corrective_request()
        request = (
            self.env["maintenance.request"]
            .with_user(self.manager)
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(request.equipment_id, self.printer)
        self.assertEqual(request.maintenance_type, "corrective")
        self.assertIn("GR-IMP-0042", request.name)
        # a monitor reads the analysis but opens no request
        with self.assertRaises(AccessError):
            self.env["maintenance.request"].with_user(self.monitor).with_context(
                **action["context"]
            ).create({})
