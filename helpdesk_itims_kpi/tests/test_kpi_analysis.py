from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import EventFixture

# the fixture's week in UTC (the tests read it in UTC)
START, STOP = "2026-04-06 00:00:00", "2026-04-13 00:00:00"


@tagged("post_install", "-at_install")
class TestNotificationAnalysis(EventFixture):
    """One row per Telegram notification: its pivot's totals are summary()'s
    counts, technicians see their own rows only."""

    def _pivot(self, user, domain=(), groupby=()):
        return (
            self.env["itims.notification.analysis"]
            .with_user(user)
            .read_group(
                [
                    ("ticket_create_date", ">=", START),
                    ("ticket_create_date", "<", STOP),
                    *domain,
                ],
                ["notification_count:sum", "sent_count:sum", "opened_count:sum", "open_rate:avg"],
                list(groupby),
                lazy=False,
            )
        )

    def test_pivot_totals_equal_summary(self):
        for user in (self.manager, self.monitor):
            summary = self._summary(user=user)
            total = self._pivot(user)[0]
            self.assertEqual(summary["notifications_sent"], 7)
            self.assertEqual(summary["notifications_opened"], 3)
            self.assertEqual(summary["notification_open_rate"], 42.86)
            self.assertEqual(total["sent_count"], summary["notifications_sent"])
            self.assertEqual(total["opened_count"], summary["notifications_opened"])
            self.assertEqual(round(total["open_rate"], 2), summary["notification_open_rate"])
            # the queued and the failed notification are rows, the edit is not
            self.assertEqual(total["notification_count"], 9)

    def test_office_filter(self):
        summary = self._summary(office_ids=[self.office_2.id])
        total = self._pivot(self.manager, [("office_id", "=", self.office_2.id)])[0]
        self.assertEqual(summary["notifications_sent"], 1)  # S's, opened
        self.assertEqual(total["sent_count"], 1)
        self.assertEqual(total["opened_count"], summary["notifications_opened"])
        self.assertEqual(summary["notification_open_rate"], 100.0)

    def test_rows(self):
        Analysis = self.env["itims.notification.analysis"].with_user(self.manager)
        row = Analysis.search([("message_id", "=", self.notifications[0].id)])
        self.assertEqual(row.ticket_id, self.ticket_p)
        self.assertEqual(row.user_id, self.technician)
        self.assertEqual(row.team_id, self.team)
        self.assertEqual(row.office_id, self.office)
        self.assertEqual(row.kind, "new_ticket")
        self.assertEqual(row.state, "sent")
        self.assertTrue(row.is_opened)
        self.assertEqual(row.minutes_to_open, 3.0)
        by_user = {
            group["user_id"] and group["user_id"][0]: group
            for group in self._pivot(self.manager, groupby=["user_id"])
        }
        # tech: P (opened), R assigned (opened), R sla_risk, V; the failed one unsent
        self.assertEqual(by_user[self.technician.id]["sent_count"], 4)
        self.assertEqual(by_user[self.technician.id]["opened_count"], 2)
        self.assertEqual(by_user[self.technician.id]["open_rate"], 50.0)
        self.assertEqual(by_user[self.technician_2.id]["sent_count"], 2)
        self.assertEqual(by_user[False]["sent_count"], 1)  # the team's group chat

    def test_technicians_see_their_own_rows(self):
        Analysis = self.env["itims.notification.analysis"]
        rows = Analysis.with_user(self.technician_2).search(
            [("ticket_create_date", ">=", START), ("ticket_create_date", "<", STOP)]
        )
        self.assertEqual(rows.user_id, self.technician_2)
        self.assertEqual(len(rows), 3)  # P's queued one, S's, V's
        total = self._pivot(self.technician_2)[0]
        self.assertEqual(total["sent_count"], 2)
        with self.assertRaises(AccessError):
            Analysis.with_user(self.employee_user).search([])
        # another company's manager sees none of these rows
        self.assertFalse(self._pivot(self.manager_b)[0]["__count"])


@tagged("post_install", "-at_install")
class TestAssistantAnalysis(EventFixture):
    """One row per question asked to the assistant: managers and monitors only."""

    def _pivot(self, user, groupby=()):
        return (
            self.env["itims.assistant.analysis"]
            .with_user(user)
            .read_group(
                [("date", ">=", START), ("date", "<", STOP)],
                [
                    "interaction_count:sum",
                    "answered_count:sum",
                    "model_count:sum",
                    "faq_count:sum",
                    "escalated_count:sum",
                    "error_count:sum",
                    "answer_rate:avg",
                    "latency_ms:avg",
                ],
                list(groupby),
                lazy=False,
            )
        )

    def test_pivot_totals_equal_summary(self):
        for user in (self.manager, self.monitor):
            summary = self._summary(user=user)
            total = self._pivot(user)[0]
            self.assertEqual(summary["chatbot_interactions"], 12)
            self.assertEqual(summary["chatbot_answered"], 7)
            self.assertEqual(summary["chatbot_answer_rate"], 58.33)
            self.assertEqual(total["interaction_count"], summary["chatbot_interactions"])
            self.assertEqual(total["answered_count"], summary["chatbot_answered"])
            self.assertEqual(round(total["answer_rate"], 2), summary["chatbot_answer_rate"])
            self.assertEqual(total["model_count"], 5)
            self.assertEqual(total["faq_count"], 2)
            self.assertEqual(total["escalated_count"], 2)
            self.assertEqual(total["error_count"], 1)
            self.assertEqual(total["latency_ms"], 1550.0)  # 1000 + 100 * mean(0..11)

    def test_by_outcome_and_model(self):
        by_model = {
            group["model_used"]: group["interaction_count"]
            for group in self._pivot(self.manager, groupby=["model_used"])
        }
        self.assertEqual(by_model, {"meta-llama/llama-3.3-8b-instruct:free": 5, False: 7})

    def test_access(self):
        Analysis = self.env["itims.assistant.analysis"]
        for user in (self.technician, self.employee_user):
            with self.assertRaises(AccessError):
                Analysis.with_user(user).search([])
        # company B's only question
        rows = Analysis.with_user(self.manager_b).search(
            [("date", ">=", START), ("date", "<", STOP)]
        )
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows.outcome, "answered_faq")
