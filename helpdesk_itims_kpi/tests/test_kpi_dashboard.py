import io
import xmlrpc.client

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfReader

from odoo.addons.helpdesk_itims.tests.common import QUIET_CONTEXT, activate_spanish


@tagged("post_install", "-at_install")
class TestKpiDashboard(HttpCase):
    """The dashboard of a company of its own (no demo ticket in it), so the figures
    the tour reads are known."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, **QUIET_CONTEXT, itims_skip_assignment=True))
        activate_spanish(env, modules=("helpdesk_mgmt", "helpdesk_itims", "helpdesk_itims_kpi"))
        company = env["res.company"].create({"name": "Gobierno Regional de Prueba"})
        cls.manager = new_test_user(
            env,
            login="kpi_dashboard_manager",
            groups="helpdesk_itims.group_itims_manager",
            company_id=company.id,
            company_ids=[(6, 0, company.ids)],
            tz="America/Lima",
            lang="es_ES",
        )
        team = env["helpdesk.ticket.team"].create(
            {"name": "Soporte Regional", "company_id": company.id}
        )
        done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        # the open ticket is the only one of its office (the tour filters by it)
        office = env["hr.department"].create(
            {"name": "Oficina de Tesorería", "company_id": company.id}
        )
        for index, stage in enumerate((done, done, False)):
            vals = {
                "name": f"Incidente {index}",
                "description": "<p>No enciende.</p>",
                "team_id": team.id,
                "company_id": company.id,
            }
            if stage:
                vals.update(stage_id=stage.id, resolution_notes="Se cambió la fuente.")
            else:
                vals.update(office_id=office.id)
            env["helpdesk.ticket"].create(vals)
        cls.today = fields.Date.context_today(cls.manager.with_user(cls.manager))

    def test_dashboard_data(self):
        kpi = self.env["itims.kpi"].with_user(self.manager).with_context(tz="America/Lima")
        data = kpi.dashboard_data(self.today.replace(day=1), self.today)
        self.assertEqual(data["current"]["tickets"], 3)
        self.assertEqual(data["current"]["resolution_rate"], 66.67)
        self.assertEqual(data["previous"]["tickets"], 0)
        self.assertEqual(sum(week["tickets"] for week in data["trend"]), 3)
        self.assertEqual(sum(row["resolved"] for row in data["tickets_by_week"]), 2)
        self.assertEqual(sum(row["resolved"] for row in data["resolution_by_category"]), 2)

    def test_summary_over_xmlrpc(self):
        """Managers and monitors call summary() over XML-RPC (False, not None, where
        there is no figure); others are refused."""
        new_test_user(
            self.env,
            login="kpi_rpc_tech",
            groups="helpdesk_itims.group_itims_technician",
            company_id=self.manager.company_id.id,
            company_ids=[(6, 0, self.manager.company_id.ids)],
        )
        db = self.env.cr.dbname
        common = self.xmlrpc_common
        uid = common.authenticate(db, "kpi_dashboard_manager", "kpi_dashboard_manager", {})
        date = fields.Date.to_string(self.today)
        res = self.xmlrpc_object.execute_kw(
            db, uid, "kpi_dashboard_manager", "itims.kpi", "summary", [date, date]
        )
        self.assertEqual(res["tickets"], 3)
        self.assertEqual(res["resolution_rate"], 66.67)
        self.assertIs(res["satisfaction_pct"], False)
        res = self.xmlrpc_object.execute_kw(
            db,
            uid,
            "kpi_dashboard_manager",
            "itims.kpi",
            "summary",
            [date, date],
            {"office_ids": [-1]},
        )
        self.assertEqual(res["tickets"], 0)
        tech = common.authenticate(db, "kpi_rpc_tech", "kpi_rpc_tech", {})
        with self.assertRaises(xmlrpc.client.Fault), mute_logger("odoo.http"):
            self.xmlrpc_object.execute_kw(
                db, tech, "kpi_rpc_tech", "itims.kpi", "summary", [date, date]
            )
        with self.assertRaises(xmlrpc.client.Fault), mute_logger("odoo.http"):
            self.xmlrpc_object.execute_kw(
                db, uid, "kpi_dashboard_manager", "itims.kpi", "summary", ["ayer", date]
            )

    def test_dashboard_tour(self):
        self.start_tour(
            "/odoo/action-helpdesk_itims_kpi.itims_kpi_dashboard_action",
            "itims_kpi_dashboard_tour",
            login="kpi_dashboard_manager",
        )

    def test_performance_pdf(self):
        """The PDF renders through wkhtmltopdf with the period's figures."""
        tech = new_test_user(
            self.env,
            login="kpi_pdf_tech",
            name="Rosa Mamani Condori",
            groups="helpdesk_itims.group_itims_technician",
            company_id=self.manager.company_id.id,
            company_ids=[(6, 0, self.manager.company_id.ids)],
        )
        tickets = self.env["helpdesk.ticket"].search(
            [("company_id", "=", self.manager.company_id.id)]
        )
        tickets.with_context(itims_skip_assignment=True).write({"user_id": tech.id})
        wizard = (
            self.env["itims.performance.report.wizard"]
            .with_user(self.manager)
            .create({"date_from": self.today.replace(day=1), "date_to": self.today})
        )
        # wkhtmltopdf draws the web fonts the server serves as curves, leaving no text
        # to read back: pointed at no server, it writes the page in the system fonts
        self.env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:9")
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("helpdesk_itims_kpi.technician_performance_report", wizard.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        # wkhtmltopdf's text comes out with tabs and line breaks between words
        text = " ".join(
            " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
        )
        self.assertIn("Rosa Mamani Condori", text)
        # the only technician: all of the load (in the reader's number format)
        self.assertRegex(text, r"100[.,]00")
