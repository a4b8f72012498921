from odoo.tests import tagged

from .common import EventFixture, april


@tagged("post_install", "-at_install")
class TestKpiEvents(EventFixture):
    """The event-based indicators against a hand computation (see EventFixture)."""

    def test_notification_open_rate(self):
        res = self._summary()
        self.assertEqual(res["notifications_sent"], 7)
        self.assertEqual(res["notifications_opened"], 3)
        self.assertEqual(res["notification_open_rate"], 42.86)  # 3 / 7

    def test_response_from_the_first_sent_notification(self):
        res = self._summary()
        self.assertEqual(res["tickets"], 5)
        self.assertEqual(res["responded_tickets"], 4)
        # P 9:20 - 2 = 7.33, Q (no notification) 16, R 140 - 123 = 17, V 19
        self.assertEqual(res["avg_response_minutes"], 14.83)

    def test_chatbot_answer_rate(self):
        res = self._summary()
        self.assertEqual(res["chatbot_interactions"], 12)
        self.assertEqual(res["chatbot_answered"], 7)
        self.assertEqual(res["chatbot_answer_rate"], 58.33)  # (5 + 2) / 12
        # company B's manager: its one question, answered from the FAQ
        res = self._summary(user=self.manager_b)
        self.assertEqual(res["chatbot_interactions"], 1)
        self.assertEqual(res["chatbot_answer_rate"], 100.0)

    def test_office_filter(self):
        """Office 2 has S only: one notification sent and opened, no response; the
        assistant's interactions are anonymous and not filtered by office."""
        res = self._summary(office_ids=[self.office.id])
        self.assertEqual(res["tickets"], 4)
        self.assertEqual(res["notifications_sent"], 6)
        self.assertEqual(res["notifications_opened"], 2)
        self.assertEqual(res["notification_open_rate"], 33.33)
        self.assertEqual(res["avg_response_minutes"], 14.83)
        res = self._summary(office_ids=[self.office_2.id])
        self.assertEqual(res["notification_open_rate"], 100.0)
        self.assertIs(res["avg_response_minutes"], False)
        self.assertEqual(res["chatbot_answer_rate"], 58.33)

    def test_a_later_first_sending_moves_t0(self):
        """Q's first notification sent 10 min after creation: its response is then
        6 min, the mean (7.33 + 6 + 17 + 19) / 4 = 12.33."""
        self._notification(self.ticket_q, april(70), user=self.technician)
        res = self._summary()
        self.assertEqual(res["avg_response_minutes"], 12.33)
        self.assertEqual(res["notifications_sent"], 8)
        self.assertEqual(res["notification_open_rate"], 37.5)  # 3 / 8

    def test_no_events(self):
        res = self.kpi.with_user(self.manager).summary("2025-01-06", "2025-01-12")
        self.assertEqual(res["notifications_sent"], 0)
        self.assertIs(res["notification_open_rate"], False)
        self.assertEqual(res["chatbot_interactions"], 0)
        self.assertIs(res["chatbot_answer_rate"], False)
