from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import KpiCommon, at

DAY = "2026-03-02"


class KpiFixture(KpiCommon):
    """Five tickets of 2026-03-02..09 with known answers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.user_ids = [(4, cls.technician_2.id)]
        tech, tech2 = cls.technician, cls.technician_2
        # A: resolved by tech in 30 min, responded after 10 min, rated 2 then 4
        cls.ticket_a = cls._event_ticket(
            at(0), "resolved", tech, assigned=at(1), responded=at(10), closed=at(30)
        )
        # B: resolved by tech in 95 min, responded after 4 min, never rated
        cls.ticket_b = cls._event_ticket(
            at(20), "resolved", tech, assigned=at(21), responded=at(24), closed=at(115)
        )
        # C: cancelled (no response, no rating)
        cls.ticket_c = cls._event_ticket(at(40), "cancelled", closed=at(50))
        # D: in progress with tech2 one week later, responded after 6 min
        cls.ticket_d = cls._event_ticket(
            at(0, days=7), "in_progress", tech2, assigned=at(2, days=7), responded=at(6, days=7)
        )
        # E: another office, registered, rated 5 (a rating of an open ticket counts)
        cls.ticket_e = cls._event_ticket(at(0, days=7), office=cls.office_2)
        # outside the period (the day before) and archived: never counted
        cls._event_ticket(
            at(0, days=-1), "resolved", tech, assigned=at(1, days=-1), closed=at(30, days=-1)
        )
        archived = cls._event_ticket(at(5), "resolved", tech, closed=at(6))
        archived.active = False
        cls._rate(cls.ticket_a, 2, at(40))
        cls._rate(cls.ticket_a, 4, at(60))
        cls._rate(cls.ticket_e, 5, at(100, days=7))
        cls._rate(cls.ticket_c, 0, at(60))  # a rating asked, never given
        cls._sla_line(cls.ticket_a, "accomplished")
        cls._sla_line(cls.ticket_b, "accomplished")
        cls._sla_line(cls.ticket_b, "expired")
        cls._sla_line(cls.ticket_d, "in_progress")

    def _summary(self, date_from=DAY, date_to="2026-03-09", office_ids=None, user=None):
        kpi = self.kpi.with_user(user or self.manager)
        return kpi.summary(date_from, date_to, office_ids=office_ids)


@tagged("post_install", "-at_install")
class TestKpiSummary(KpiFixture):
    """Every indicator against a hand computation, to the second decimal."""

    def test_all_indicators(self):
        res = self._summary()
        self.assertEqual(res["tickets"], 5)
        self.assertEqual(res["resolved_tickets"], 2)
        self.assertEqual(res["cancelled_tickets"], 1)
        self.assertEqual(res["open_tickets"], 2)
        self.assertEqual(res["resolution_rate"], 40.0)  # 2 / 5
        self.assertEqual(res["avg_resolution_minutes"], 62.5)  # (30 + 95) / 2
        self.assertEqual(res["responded_tickets"], 3)
        self.assertEqual(res["avg_response_minutes"], 6.67)  # (10 + 4 + 6) / 3
        self.assertEqual(res["rated_tickets"], 2)  # A's last rating (4) and E's 5
        self.assertEqual(res["avg_rating"], 4.5)
        self.assertEqual(res["satisfaction_pct"], 90.0)  # 4.5 / 5
        # resolved with SLA lines: A (all accomplished) and B (one expired)
        self.assertEqual(res["sla_tickets"], 2)
        self.assertEqual(res["sla_met_tickets"], 1)
        self.assertEqual(res["sla_compliance"], 50.0)
        # week 1: tech 2, tech2 0 -> std 1; week 2: tech 0, tech2 1 -> std 0.5
        self.assertEqual(res["fairness_weeks"], 2)
        self.assertEqual(res["fairness_technicians"], 2)
        self.assertEqual(res["fairness_weekly_std"], 0.75)

    def test_event_families_without_their_addons(self):
        """Until the Telegram and assistant addons record events, their indicators
        are None and their counts 0 (not a made-up 0 %)."""
        res = self._summary()
        if self.kpi._kpi_telegram_available():
            self.assertIn("notifications_sent", res)
        else:
            self.assertEqual(res["notifications_sent"], 0)
            self.assertIs(res["notification_open_rate"], False)
        if not self.kpi._kpi_chatbot_available():
            self.assertEqual(res["chatbot_interactions"], 0)
            self.assertIs(res["chatbot_answer_rate"], False)

    def test_office_filter(self):
        res = self._summary(office_ids=[self.office_2.id])
        self.assertEqual(res["tickets"], 1)
        self.assertEqual(res["resolution_rate"], 0.0)
        self.assertIs(res["avg_resolution_minutes"], False)
        self.assertIs(res["avg_response_minutes"], False)
        self.assertEqual(res["satisfaction_pct"], 100.0)
        self.assertIs(res["sla_compliance"], False)
        res = self._summary(office_ids=[self.office.id])
        self.assertEqual(res["tickets"], 4)
        self.assertEqual(res["resolution_rate"], 50.0)
        self.assertEqual(res["satisfaction_pct"], 80.0)

    def test_no_tickets(self):
        res = self._summary("2025-01-01", "2025-01-31")
        self.assertEqual(res["tickets"], 0)
        for key in (
            "resolution_rate",
            "avg_resolution_minutes",
            "avg_response_minutes",
            "satisfaction_pct",
            "sla_compliance",
            "fairness_weekly_std",
        ):
            self.assertIs(res[key], False, key)

    def test_only_cancelled(self):
        office = self.env["hr.department"].create({"name": "Oficina de Archivo"})
        self._event_ticket(at(0), "cancelled", closed=at(5), office=office)
        self._event_ticket(at(3), "cancelled", closed=at(9), office=office)
        res = self._summary(office_ids=[office.id])
        self.assertEqual(res["tickets"], 2)
        self.assertEqual(res["cancelled_tickets"], 2)
        self.assertIsInstance(res["resolution_rate"], float)  # 0 %, not "no figure"
        self.assertEqual(res["resolution_rate"], 0.0)
        self.assertIs(res["avg_resolution_minutes"], False)
        self.assertIs(res["sla_compliance"], False)
        self.assertIs(res["satisfaction_pct"], False)

    def test_sla_without_lines(self):
        """Resolved tickets without SLA lines are not in sla_compliance at all."""
        res = self._summary("2026-03-01", "2026-03-01")  # only the ticket of the day before
        self.assertEqual(res["resolved_tickets"], 1)
        self.assertEqual(res["sla_tickets"], 0)
        self.assertIs(res["sla_compliance"], False)

    def test_period_is_read_in_the_user_time_zone(self):
        """2026-03-02 00:00-05:00 in Lima is 05:00 UTC: a ticket at 03:00 UTC on the
        2nd belongs to the 1st for a user in Lima."""
        ticket = self._event_ticket(at(-11 * 60), office=self.office_2)  # 03:00 UTC
        lima = self.kpi.with_context(tz="America/Lima").with_user(self.manager)
        self.assertEqual(lima.summary("2026-03-01", "2026-03-01", [self.office_2.id])["tickets"], 1)
        self.assertEqual(
            self.kpi.with_user(self.manager).summary(DAY, DAY, [self.office_2.id])["tickets"], 1
        )
        self.assertTrue(ticket)

    def test_readers(self):
        self.assertEqual(self._summary(user=self.monitor)["tickets"], 5)
        for user in (self.technician, self.employee_user):
            with self.assertRaises(AccessError):
                self._summary(user=user)

    def test_other_company_not_counted(self):
        self.assertEqual(self._summary(user=self.manager_b)["tickets"], 0)

    def test_bad_input(self):
        for args in (
            ("2026-13-01", DAY),
            ("hoy", DAY),
            (False, DAY),
            ("2026-03-09", DAY),
        ):
            with self.assertRaises(UserError):
                self._summary(*args)
        with self.assertRaises(UserError):
            self._summary(office_ids="1; DROP TABLE helpdesk_ticket")
        with self.assertRaises(UserError):
            self._summary(office_ids=[True])


@tagged("post_install", "-at_install")
class TestTicketAnalysis(KpiFixture):
    """The analysis views give the same figures as summary(), and technicians
    read only their own rows."""

    def _totals(self, user, model="itims.ticket.analysis", domain=None):
        domain = domain or [
            ("create_date", ">=", "2026-03-02 00:00:00"),
            ("create_date", "<", "2026-03-10 00:00:00"),
        ]
        measures = [
            "ticket_count:sum",
            "resolved_count:sum",
            "resolution_minutes:avg",
            "response_minutes:avg",
            "rating:avg",
            "rated_count:sum",
            "sla_count:sum",
            "sla_met_count:sum",
        ]
        return self.env[model].with_user(user).read_group(domain, measures, [])[0]

    def test_pivot_totals_equal_summary(self):
        totals = self._totals(self.manager)
        res = self._summary()
        self.assertEqual(totals["ticket_count"], res["tickets"])
        self.assertEqual(totals["resolved_count"], res["resolved_tickets"])
        self.assertAlmostEqual(totals["resolution_minutes"], res["avg_resolution_minutes"], 2)
        self.assertAlmostEqual(totals["response_minutes"], res["avg_response_minutes"], 2)
        self.assertAlmostEqual(totals["rating"], res["avg_rating"], 2)
        self.assertEqual(totals["rated_count"], res["rated_tickets"])
        self.assertEqual(totals["sla_count"], res["sla_tickets"])
        self.assertEqual(totals["sla_met_count"], res["sla_met_tickets"])

    def test_technician_reads_own_rows(self):
        rows = self.env["itims.ticket.analysis"].with_user(self.technician).search([])
        self.assertTrue(rows)
        self.assertEqual(set(rows.mapped("user_id").ids), {self.technician.id})
        self.assertEqual(self._totals(self.technician)["ticket_count"], 2)  # A and B
        self.assertEqual(self._totals(self.monitor)["ticket_count"], 5)

    def test_weekly_workload(self):
        Workload = self.env["itims.technician.workload"]
        rows = Workload.with_user(self.manager).search(
            [("user_id", "in", (self.technician | self.technician_2).ids)]
        )
        by_key = {(r.user_id, str(r.week_start)): r for r in rows}
        # the ticket of Sunday 2026-03-01 belongs to the week of 2026-02-23
        week_0 = by_key[(self.technician, "2026-02-23")]
        self.assertEqual((week_0.assigned_count, week_0.resolved_count), (1, 1))
        week_1 = by_key[(self.technician, "2026-03-02")]
        self.assertEqual((week_1.assigned_count, week_1.resolved_count), (2, 2))
        self.assertAlmostEqual(week_1.resolution_minutes, 62.5, 2)
        week_2 = by_key[(self.technician_2, "2026-03-09")]
        self.assertEqual((week_2.assigned_count, week_2.resolved_count), (1, 0))
        own = Workload.with_user(self.technician).search([])
        self.assertEqual(set(own.mapped("user_id").ids), {self.technician.id})


@tagged("post_install", "-at_install")
class TestTechnicianPerformance(KpiFixture):
    def test_figures(self):
        self.technician.itims_max_active_tickets = 1
        lines = self.kpi.with_user(self.manager).technician_performance(
            DAY, "2026-03-09", team_id=self.team.id
        )
        by_user = {line["user_id"]: line for line in lines}
        tech = by_user[self.technician.id]
        self.assertEqual((tech["assigned"], tech["resolved"]), (2, 2))
        self.assertEqual(tech["avg_resolution_minutes"], 62.5)  # (30 + 95) / 2
        self.assertEqual(tech["avg_response_minutes"], 7.0)  # (10 + 4) / 2
        self.assertEqual(tech["sla_compliance"], 50.0)
        self.assertEqual(tech["avg_rating"], 4.0)
        self.assertEqual(tech["load_share"], 66.67)  # 2 of the 3 assigned
        self.assertEqual(tech["weeks_over_cap"], 1)  # 2 assigned in a week, cap 1
        tech2 = by_user[self.technician_2.id]
        self.assertEqual((tech2["assigned"], tech2["resolved"]), (1, 0))
        self.assertIs(tech2["avg_resolution_minutes"], False)
        self.assertEqual(tech2["load_share"], 33.33)
        self.assertEqual(tech2["weeks_over_cap"], 0)
        # one technician only: their share of the load listed is all of it
        (only,) = self.kpi.with_user(self.manager).technician_performance(
            DAY, "2026-03-09", user_ids=self.technician_2.ids
        )
        self.assertEqual(only["load_share"], 100.0)
        with self.assertRaises(AccessError):
            self.kpi.with_user(self.technician).technician_performance(DAY, DAY)

    def test_report_html(self):
        wizard = (
            self.env["itims.performance.report.wizard"]
            .with_user(self.manager)
            .with_context(tz="UTC")
            .create({"date_from": DAY, "date_to": "2026-03-09", "team_id": self.team.id})
        )
        html = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            .with_context(tz="UTC")
            ._render_qweb_html("helpdesk_itims_kpi.technician_performance_report", wizard.ids)[0]
            .decode()
        )
        # in the reader's number format (62,50 in Spanish)
        for figure in ("62.50", "7.00", "50.00", "4.00", "66.67", "33.33"):
            self.assertRegex(html, figure.replace(".", "[.,]"))
        self.assertIn(self.technician.name, html)
