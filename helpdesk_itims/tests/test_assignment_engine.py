from datetime import date, datetime

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import AssignmentCase

WEDNESDAY = datetime(2026, 3, 4, 15, 0)  # 10:00 in Lima, a working day
THURSDAY = datetime(2026, 3, 5, 15, 0)


@tagged("post_install", "-at_install")
class TestAssignmentEngine(AssignmentCase):
    """The engine's availability (leaves), its cron, and the one refusal rule."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("helpdesk_itims.ir_cron_itims_dispatch")
        cls.leave_type = cls.env["hr.leave.type"].create(
            {
                "name": "ITIMS test time off",
                "requires_allocation": "no",
                "leave_validation_type": "no_validation",
                "request_unit": "day",
            }
        )

    def setUp(self):
        super().setUp()
        self._set_method("balanced")
        # only tech_a may receive tickets
        (self.tech_b | self.tech_c).write({"itims_on_duty": False})

    def _leave(self, user, day_from, day_to):
        employee = self.env["hr.employee"].create({"name": user.name, "user_id": user.id})
        leave = self.env["hr.leave"].create(
            {
                "employee_id": employee.id,
                "holiday_status_id": self.leave_type.id,
                "request_date_from": day_from,
                "request_date_to": day_to,
            }
        )
        self.assertEqual(leave.state, "validate", "sanity: approved without validation")
        return leave

    def test_technician_on_approved_leave_gets_nothing_until_it_ends(self):
        with freeze_time(WEDNESDAY):
            self._leave(self.tech_a, date(2026, 3, 4), date(2026, 3, 4))
            ticket = self._ticket()
            self.assertFalse(ticket.user_id, "on leave today: not available")
            self.assertEqual(ticket.itims_state, "registered")
            self.cron.method_direct_trigger()
            self.assertFalse(ticket.user_id, "the leave still covers today")
        with freeze_time(THURSDAY):
            # the leave ended at midnight: nothing was written, the cron pulls the queue
            self.cron.method_direct_trigger()
            self.assertEqual(ticket.user_id, self.tech_a)
            self.assertEqual(ticket.itims_state, "in_progress")

    def test_leave_of_another_day_does_not_count(self):
        with freeze_time(WEDNESDAY):
            self._leave(self.tech_a, date(2026, 3, 5), date(2026, 3, 6))
            self.assertEqual(self._ticket().user_id, self.tech_a)

    def test_cron_dispatches_what_changed_without_the_hooks(self):
        self.tech_a.itims_on_duty = False
        tickets = self._tickets(2)
        self.assertFalse(tickets.user_id)
        # back on duty through an import (the engine's hooks are skipped)
        self.tech_b.with_context(itims_skip_assignment=True).itims_on_duty = True
        self.assertFalse(tickets.user_id, "sanity: nothing dispatched the queue yet")
        self.cron.method_direct_trigger()
        self.assertEqual(tickets.user_id, self.tech_b)
        self.assertEqual(set(tickets.mapped("itims_state")), {"in_progress"})

    def test_cron_leaves_manual_teams_alone(self):
        self._set_method("manual")
        ticket = self._ticket()
        self.cron.method_direct_trigger()
        self.assertFalse(ticket.user_id)

    def test_one_refusal_message_for_take_and_self_assignment(self):
        self.tech_a.itims_max_active_tickets = 1
        self._set_method("manual")
        held, waiting, other = self._tickets(3)
        held.with_user(self.tech_a).action_take()
        take = waiting._itims_take(self.tech_a)
        self.assertEqual((take["success"], take["code"]), (False, "over_cap"))
        self.assertIn("maximum is 1", take["message"])
        with self.assertRaises(UserError) as by_form:
            waiting.with_user(self.tech_a).user_id = self.tech_a
        self.assertEqual(str(by_form.exception), take["message"])
        with self.assertRaises(UserError) as by_stage:
            other.with_user(self.tech_a).stage_id = self.stage_in_progress
        self.assertEqual(str(by_stage.exception), take["message"])
        engine = self.env["itims.assignment"]
        self.assertEqual(engine._refusal(waiting, self.tech_a), ("over_cap", take["message"]))
        self.assertFalse((waiting | other).user_id)

    def test_refusal_rule_is_the_availability_of_the_engine(self):
        engine = self.env["itims.assignment"]
        ticket = self._ticket()
        self.assertEqual(ticket.user_id, self.tech_a)
        queued = self._ticket(team=self.team.copy({"name": "Other", "user_ids": []}))
        self.assertEqual(engine._refusal(queued, self.tech_a)[0], "not_member")
        self.assertFalse(engine._available(queued, self.tech_a, 0, set()))
        self.assertEqual(engine._refusal(ticket, self.tech_a)[0], "already_yours")
        self.assertEqual(engine._refusal(ticket, self.tech_b)[0], "already_taken")
        root = self.env.ref("base.user_root")
        self.assertEqual(engine._refusal(ticket, root)[0], "not_allowed")
