import datetime
from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged

from odoo.addons.helpdesk_itims.tests.common import activate_spanish
from odoo.addons.helpdesk_itims_kpi.models.helpdesk_ticket_sla import HelpdeskTicketSla

from .common import KpiCommon

MONDAY = datetime.datetime(2026, 3, 2, 8, 0)
MANAGER = "helpdesk_itims.group_itims_manager"
TUESDAY_10 = MONDAY + datetime.timedelta(hours=26)


def h(hours):
    return MONDAY + datetime.timedelta(hours=hours)


@tagged("post_install", "-at_install")
class TestSlaWatch(KpiCommon):
    """The hourly cron: SLA lines at 80 % of their working time, untouched tickets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Mon-Fri 08-12 and 13-17 UTC: 8 working hours a day
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Horario de prueba",
                "tz": "UTC",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": name,
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": stop,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for name, start, stop, period in (
                        ("Mañana", 8, 12, "morning"),
                        ("Tarde", 13, 17, "afternoon"),
                    )
                ],
            }
        )
        cls.team.write(
            {
                "use_sla": True,
                "resource_calendar_id": cls.calendar.id,
                "user_id": cls.manager.id,
            }
        )
        cls.sla = cls.env["helpdesk.sla"].create(
            {
                "name": "Resolución en 10 h hábiles",
                "team_ids": [Command.set(cls.team.ids)],
                "stage_id": cls.stage_resolved.id,
                "hours": 10,
            }
        )
        cls.activity_type = cls.env.ref("helpdesk_itims_kpi.mail_activity_type_sla_at_risk")
        cls.untouched_type = cls.env.ref("helpdesk_itims_kpi.mail_activity_type_untouched")

    def _sla_ticket(self, deadline=TUESDAY_10):
        """A ticket created on Monday 08:00, its line due Tuesday 10:00."""
        ticket = self._ticket(user_id=self.technician.id, stage_id=self.stage_in_progress.id)
        self._set_times(ticket, create_date=MONDAY, assigned_date=MONDAY, last_stage_update=MONDAY)
        ticket.set_sla()
        line = ticket.ticket_sla_ids
        self.assertEqual(len(line), 1)
        self.assertEqual(line.deadline, deadline)
        return ticket, line

    def _alerts(self, ticket, activity_type=None):
        activity_type = activity_type or self.activity_type
        return ticket.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)

    def test_at_risk_at_80_percent(self):
        ticket, line = self._sla_ticket()
        Sla = self.env["helpdesk.ticket.sla"]
        self.assertAlmostEqual(line._itims_consumed_ratio(h(8)), 0.7)  # Mon 16:00: 7 h
        self.assertFalse(Sla._itims_flag_at_risk(now=h(8)))
        self.assertFalse(self._alerts(ticket))
        calls = []

        def record(lines):
            calls.append(lines.ids)

        with patch.object(HelpdeskTicketSla, "_itims_alert_at_risk", record):
            flagged = Sla._itims_flag_at_risk(now=h(24.5))  # Tue 08:30: 8.5 h = 85 %
        self.assertEqual(flagged, line)
        self.assertEqual(line.itims_at_risk_date, h(24.5))
        alert = self._alerts(ticket)
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.user_id, self.manager)
        self.assertIn(self.sla.name, alert.summary)
        self.assertEqual(calls, [line.ids])  # the Telegram hook gets the same lines
        # once per line
        self.assertFalse(Sla._itims_flag_at_risk(now=h(25.5)))
        self.assertEqual(len(self._alerts(ticket)), 1)

    def test_holidays_do_not_consume_time(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Fiestas Patrias",
                "calendar_id": self.calendar.id,
                "date_from": MONDAY.replace(hour=0),
                "date_to": MONDAY.replace(hour=23, minute=59),
            }
        )
        line = self._sla_ticket(deadline=h(50))[1]  # Wed 10:00
        # Tue 16:00: without the holiday 15 h (150 %); with it 7 h (70 %)
        self.assertAlmostEqual(line._itims_consumed_ratio(h(32)), 0.7)
        self.assertFalse(self.env["helpdesk.ticket.sla"]._itims_flag_at_risk(now=h(32)))

    def test_lines_no_longer_in_progress_are_not_flagged(self):
        ticket, line = self._sla_ticket()
        # resolved today, months after its deadline: helpdesk_mgmt_sla expires it
        ticket.write({"stage_id": self.stage_resolved.id, "resolution_notes": "Listo."})
        self.assertEqual(line.state, "expired")
        self.assertFalse(self.env["helpdesk.ticket.sla"]._itims_flag_at_risk(now=h(40)))

    def test_untouched_ticket(self):
        ticket = self._ticket(user_id=self.technician.id, stage_id=self.stage_in_progress.id)
        self._set_times(
            ticket,
            create_date=MONDAY,
            assigned_date=MONDAY,
            last_stage_update=MONDAY,
            first_response_date=MONDAY,
        )
        Ticket = self.env["helpdesk.ticket"]
        self.assertNotIn(ticket, Ticket._itims_flag_untouched(now=h(23)))
        # a message of the technician at 10 h restarts the clock
        message = ticket.message_post(body="Revisando el equipo.", message_type="comment")
        self._set_times(message, date=h(10))
        self.assertNotIn(ticket, Ticket._itims_flag_untouched(now=h(33)))
        self.assertIn(ticket, Ticket._itims_flag_untouched(now=h(35)))
        alert = self._alerts(ticket, self.untouched_type)
        self.assertEqual(alert.user_id, self.manager)
        self.assertIn(self.technician.name, alert.summary)
        # flagged once while the activity is open
        self.assertNotIn(ticket, Ticket._itims_flag_untouched(now=h(60)))
        # the delay is a setting
        alert.action_done()
        self.env["ir.config_parameter"].set_param("helpdesk_itims_kpi.untouched_hours", "72")
        self.assertNotIn(ticket, Ticket._itims_flag_untouched(now=h(60)))

    def test_cron_runs(self):
        ticket, line = self._sla_ticket()
        cron = self.env.ref("helpdesk_itims_kpi.ir_cron_itims_sla_watch")
        self.assertEqual(cron.interval_type, "hours")
        cron.method_direct_trigger()
        self.assertEqual(line.itims_at_risk_date.date(), datetime.date.today())
        self.assertTrue(self._alerts(ticket))

    def test_cron_queues_one_telegram_alert_per_line(self):
        """The technician of a line at risk gets one "SLA at risk" message in the
        Telegram outbox, in their language; the next hourly run adds none."""
        activate_spanish(self.env, ("helpdesk_mgmt", "helpdesk_itims", "helpdesk_itims_telegram"))
        self.env["ir.config_parameter"].sudo().set_param(
            "helpdesk_itims_telegram.bot_token", "123456:test-token"
        )
        self.technician.sudo().write({"telegram_chat_id": "777000111", "lang": "es_ES"})
        self.manager.sudo().telegram_chat_id = "777000999"
        ticket, line = self._sla_ticket()
        ticket.office_id = self.office
        Message = self.env["itims.telegram.message"].sudo()
        self.assertFalse(Message.search([("ticket_id", "=", ticket.id)]))
        cron = self.env.ref("helpdesk_itims_kpi.ir_cron_itims_sla_watch")
        cron.method_direct_trigger()  # today: months after the deadline, over 80 %
        self.assertTrue(line.itims_at_risk_date)
        alerts = Message.search([("ticket_id", "=", ticket.id)])
        self.assertEqual(len(alerts), 1)
        self.assertEqual(alerts.kind, "sla_risk")
        self.assertEqual(alerts.state, "queued")
        self.assertEqual(alerts.chat_id, "777000111")  # the assignee, not the manager
        self.assertEqual(alerts.user_id, self.technician)
        # the text is rendered by the sender, in the technician's language
        self.assertFalse(alerts.text)
        alerts._itims_prepare()
        self.assertEqual(
            alerts.text,
            f"<b>SLA en riesgo: {ticket.number}</b>\nOficina: {ticket.office_id.name}\n"
            f"<i>{ticket.name}</i>",
        )
        cron.method_direct_trigger()
        self.assertEqual(Message.search_count([("ticket_id", "=", ticket.id)]), 1)

    def test_unassigned_line_alerts_the_managers(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "helpdesk_itims_telegram.bot_token", "123456:test-token"
        )
        self.manager.sudo().telegram_chat_id = "777000999"
        ticket = self._ticket(stage_id=self.stage_registered.id)  # in the queue
        self._set_times(ticket, create_date=MONDAY, last_stage_update=MONDAY)
        ticket.set_sla()
        self.assertFalse(ticket.user_id)
        self.env["helpdesk.ticket.sla"]._itims_flag_at_risk(now=h(24.5))
        alerts = self.env["itims.telegram.message"].sudo().search([("ticket_id", "=", ticket.id)])
        # every linked manager of the company (the demo data's too), once
        self.assertIn("777000999", alerts.mapped("chat_id"))
        self.assertEqual(len(alerts), len(set(alerts.mapped("chat_id"))))
        self.assertEqual(set(alerts.mapped("kind")), {"sla_risk"})
        self.assertEqual(set(alerts.user_id.mapped(lambda u: u.has_group(MANAGER))), {True})
