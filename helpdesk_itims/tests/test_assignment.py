from datetime import datetime, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, freeze_time, tagged

from .common import AssignmentCase

MONDAY = datetime(2026, 3, 2, 9, 0)  # an ISO week starts on this Monday


@tagged("post_install", "-at_install")
class TestAssignmentStrategies(AssignmentCase):
    def test_manual_keeps_tickets_in_fifo_queue(self):
        tickets = self._tickets(3)
        self.assertFalse(tickets.user_id)
        self.assertEqual(set(tickets.mapped("itims_state")), {"registered"})
        queue = self.env["helpdesk.ticket"].search(
            [("team_id", "=", self.team.id), ("user_id", "=", False)], order="create_date, id"
        )
        self.assertEqual(queue, tickets.sorted("id"))

    def test_round_robin_rotates_by_oldest_last_assignment(self):
        self._set_method("round_robin")
        # tech_c received a ticket long ago, tech_a and tech_b more recently
        self.tech_c._itims_set_last_assignment(datetime(2025, 1, 1))
        self.tech_a._itims_set_last_assignment(datetime(2025, 6, 1))
        self.tech_b._itims_set_last_assignment(datetime(2025, 7, 1))
        tickets = self._tickets(6)
        self.assertEqual(
            [t.user_id.login for t in tickets],
            ["itims_tech_c", "itims_tech_a", "itims_tech_b"] * 2,
        )
        self.assertEqual(set(tickets.mapped("itims_state")), {"in_progress"})
        self.assertTrue(all(tickets.mapped("assigned_date")))
        self.assertFalse(any(tickets.mapped("first_response_date")), "the engine is no response")

    def test_round_robin_ties_go_by_id_and_skip_unavailable(self):
        self._set_method("round_robin")
        self.tech_b.itims_on_duty = False
        self.tech_a.itims_max_active_tickets = 1
        tickets = self._tickets(4)
        # never assigned before: tie broken by id (a before c); a is full after one
        self.assertEqual(
            [t.user_id.login for t in tickets],
            ["itims_tech_a", "itims_tech_c", "itims_tech_c", "itims_tech_c"],
        )

    def test_least_loaded_picks_fewest_active_ties_by_last_assignment(self):
        self._set_method("least_loaded")
        self._ticket(user_id=self.tech_a.id)
        self._ticket(user_id=self.tech_a.id)
        self._ticket(user_id=self.tech_b.id)
        self.assertEqual(self._loads(), [2, 1, 0])
        first = self._ticket()
        self.assertEqual(first.user_id, self.tech_c)
        # b and c now both hold one ticket: c received one last, b is older
        second = self._ticket()
        self.assertEqual(second.user_id, self.tech_b)
        self.assertEqual(self._loads(), [2, 2, 1])

    def test_balanced_counts_active_plus_tickets_assigned_this_week(self):
        self._set_method("balanced")
        with freeze_time(MONDAY - timedelta(days=3)):
            # last week: b got two tickets still in progress
            last_week = self._ticket(user_id=self.tech_b.id) | self._ticket(user_id=self.tech_b.id)
        with freeze_time(MONDAY):
            # this week: a got three tickets and resolved them (0 active, 3 this week)
            for _ in range(3):
                ticket = self._ticket(user_id=self.tech_a.id)
                ticket._itims_close("resolved", "Replaced the toner.")
            self.tech_c.itims_on_duty = False
            self.assertEqual(self._loads(), [0, 2, 0])
            counts = (self.tech_a | self.tech_b)._itims_week_ticket_counts()
            self.assertEqual(counts, {self.tech_a.id: 3})
            # least loaded would give it to a (0 active); balanced: a = 0 + 3, b = 2 + 0
            ticket = self._ticket()
            self.assertEqual(ticket.user_id, self.tech_b)
            self.assertEqual(last_week.user_id, self.tech_b)

    def test_balanced_tie_goes_to_oldest_last_assignment(self):
        self._set_method("balanced")
        self.tech_b._itims_set_last_assignment(datetime(2025, 4, 1))
        self.tech_a._itims_set_last_assignment(datetime(2025, 5, 1))
        self.tech_c._itims_set_last_assignment(datetime(2025, 6, 1))
        tickets = self._tickets(3)
        self.assertEqual(
            [t.user_id.login for t in tickets], ["itims_tech_b", "itims_tech_a", "itims_tech_c"]
        )

    def test_cap_leaves_tickets_waiting_oldest_first(self):
        self._set_method("balanced")
        (self.tech_a | self.tech_b | self.tech_c).write({"itims_max_active_tickets": 2})
        tickets = self._tickets(8)
        self.assertEqual(self._loads(), [2, 2, 2])
        self.assertEqual(tickets.filtered(lambda t: not t.user_id), tickets[6:])
        self.assertEqual(set(tickets[6:].mapped("itims_state")), {"registered"})
        self.assertEqual(self.team.itims_queue_count, 2)

    def test_off_duty_gets_nothing_and_pulls_when_back(self):
        self._set_method("least_loaded")
        (self.tech_a | self.tech_b | self.tech_c).write({"itims_on_duty": False})
        tickets = self._tickets(2)
        self.assertFalse(tickets.user_id)
        self.tech_b.with_user(self.tech_b).itims_on_duty = True
        self.assertEqual(tickets.user_id, self.tech_b)
        self.assertEqual(self._loads(), [0, 2, 0])

    def test_pull_on_release_resolve_cancel_reassign(self):
        self._set_method("round_robin")
        (self.tech_a | self.tech_b | self.tech_c).write({"itims_max_active_tickets": 1})
        busy = self._tickets(3)
        waiting = self._tickets(3)
        self.assertFalse(waiting.user_id)
        ticket_a = busy.filtered(lambda t: t.user_id == self.tech_a)
        ticket_b = busy.filtered(lambda t: t.user_id == self.tech_b)
        ticket_c = busy.filtered(lambda t: t.user_id == self.tech_c)
        # resolving frees a: the oldest waiting ticket is pulled to a
        ticket_a.with_user(self.tech_a)._itims_close("resolved", "Reinstalled the driver.")
        self.assertEqual(waiting[0].user_id, self.tech_a)
        self.assertEqual(waiting[0].itims_state, "in_progress")
        self.assertFalse((waiting[1] | waiting[2]).user_id)
        # cancelling frees b
        ticket_b.with_user(self.tech_b)._itims_close("cancelled", "Duplicate of another one.")
        self.assertEqual(waiting[1].user_id, self.tech_b)
        # a manager reassigning c's ticket to a frees c, who pulls the last one
        ticket_c.with_user(self.manager).user_id = self.tech_a
        self.assertEqual(ticket_c.user_id, self.tech_a)
        self.assertEqual(waiting[2].user_id, self.tech_c)
        self.assertEqual(self._loads(), [2, 1, 1], "a manager may assign over the cap")

    def test_release_goes_to_someone_else_never_back(self):
        """Back to the queue (backend button or Telegram, one engine entry point): the
        ticket is served to another technician with room, never straight back to its
        releaser; with nobody else available it waits in the queue."""
        self._set_method("least_loaded")
        ticket = self._ticket()
        holder = ticket.user_id
        others = (self.tech_a | self.tech_b | self.tech_c) - holder
        others.write({"itims_on_duty": False})
        action = ticket.with_user(holder).with_context(itims_take_feedback=True)
        answer = action.action_itims_release()
        self.assertEqual(answer["params"]["type"], "success")
        self.assertFalse(ticket.user_id, "not handed back to the technician who released it")
        self.assertEqual(ticket.itims_state, "registered")
        # another technician comes on duty: the queue is served to them
        others[0].itims_on_duty = True
        self.assertEqual(ticket.user_id, others[0])
        # a technician may not release someone else's ticket; a manager may
        refused = ticket.with_user(holder).with_context(itims_take_feedback=True)
        self.assertEqual(refused.action_itims_release()["params"]["type"], "warning")
        self.assertEqual(ticket.user_id, others[0])
        with self.assertRaises(UserError):
            ticket.with_user(holder).action_itims_release()
        ticket.with_user(self.manager).action_itims_release()
        self.assertNotEqual(ticket.user_id, others[0])
        self.assertEqual(ticket.user_id, holder, "the manager's release serves the queue")

    def test_cap_raise_and_team_changes_dispatch(self):
        self._set_method("least_loaded")
        self.tech_a.itims_max_active_tickets = 0
        (self.tech_b | self.tech_c).write({"itims_on_duty": False})
        ticket = self._ticket()
        self.assertFalse(ticket.user_id)
        self.tech_a.with_user(self.manager).itims_max_active_tickets = 3
        self.assertEqual(ticket.user_id, self.tech_a)
        # a technician added to a team takes from its queue
        self.tech_a.itims_on_duty = False
        other = self._ticket()
        self.assertFalse(other.user_id)
        newcomer = self._new_technician("itims_tech_new")
        self.team.user_ids = [(4, newcomer.id)]
        self.assertEqual(other.user_id, newcomer)

    def test_switching_from_manual_dispatches_the_queue(self):
        tickets = self._tickets(2)
        self.assertFalse(tickets.user_id)
        self._set_method("balanced")
        self.assertEqual(set(tickets.mapped("itims_state")), {"in_progress"})
        self.assertEqual(len(tickets.user_id), 2)

    def test_skip_assignment_context(self):
        self._set_method("balanced")
        self.assertTrue(self._ticket().user_id, "sanity: the engine runs without the key")
        quiet = self.env["helpdesk.ticket"].with_context(itims_skip_assignment=True)
        skipped = quiet.create(
            {"name": "History", "description": "<p>Old</p>", "team_id": self.team.id}
        )
        self.assertFalse(skipped.user_id)
        self.assertEqual(skipped.itims_state, "registered")

    def test_other_company_technician_is_not_eligible(self):
        self._set_method("round_robin")
        other_company = self.env["res.company"].create({"name": "ITIMS other company"})
        self.tech_a.write(
            {"company_ids": [(6, 0, other_company.ids)], "company_id": other_company.id}
        )
        tickets = self._tickets(2)
        self.assertNotIn(self.tech_a, tickets.user_id)


@tagged("post_install", "-at_install")
class TestAssignmentStateCoupling(AssignmentCase):
    def test_assigning_starts_and_unassigning_requeues(self):
        ticket = self._ticket()
        ticket.with_user(self.manager).user_id = self.tech_a
        self.assertEqual(ticket.stage_id, self.stage_in_progress)
        self.assertTrue(ticket.assigned_date)
        self.assertTrue(self.tech_a.itims_last_assignment_date)
        ticket.with_user(self.manager).user_id = False
        self.assertEqual(ticket.stage_id, self.stage_registered)

    def test_stage_moves_keep_the_rule(self):
        ticket = self._ticket()
        # dragged to In Progress by a technician: they take it
        ticket.with_user(self.tech_b).stage_id = self.stage_in_progress
        self.assertEqual(ticket.user_id, self.tech_b)
        self.assertTrue(ticket.first_response_date)
        # dragged back to Registered: back to the queue
        ticket.with_user(self.tech_b).stage_id = self.stage_registered
        self.assertFalse(ticket.user_id)
        # a non-technician cannot start an unassigned ticket
        with self.assertRaises(UserError):
            ticket.stage_id = self.stage_in_progress

    def test_created_with_assignee_starts(self):
        ticket = self._ticket(user_id=self.tech_c.id)
        self.assertEqual(ticket.itims_state, "in_progress")

    def test_creator_is_not_auto_assigned(self):
        self.env.company.helpdesk_mgmt_ticket_auto_assign = True
        with Form(self.env["helpdesk.ticket"].with_user(self.tech_a)) as form:
            form.name = "Screen flickers"
            form.description = "<p>Since this morning</p>"
            form.team_id = self.team
            self.assertFalse(form.user_id)

    def test_reassignment_tells_previous_technician(self):
        ticket = self._ticket(user_id=self.tech_a.id)
        ticket.with_user(self.manager).user_id = self.tech_b
        notice = ticket.message_ids.filtered(lambda m: self.tech_a.partner_id in m.partner_ids)
        self.assertEqual(len(notice), 1)
        self.assertIn("reassigned", notice.body)
        self.assertIn(self.tech_b.name, notice.body)
        self.assertEqual(notice.author_id, self.manager.partner_id)


@tagged("post_install", "-at_install")
class TestTake(AssignmentCase):
    def test_take_assigns_starts_and_sets_first_response(self):
        ticket = self._ticket()
        ticket.with_user(self.tech_a).action_take()
        self.assertEqual(ticket.user_id, self.tech_a)
        self.assertEqual(ticket.itims_state, "in_progress")
        self.assertTrue(ticket.first_response_date)
        self.assertTrue(ticket.assigned_date)
        self.assertTrue(self.tech_a.itims_last_assignment_date)

    def test_second_take_gets_a_clear_message(self):
        ticket = self._ticket()
        ticket.with_user(self.tech_a).action_take()
        with self.assertRaisesRegex(UserError, "already taken by Itims Tech A"):
            ticket.with_user(self.tech_b).action_take()
        result = ticket._itims_take(self.tech_b)
        self.assertEqual((result["success"], result["code"]), (False, "already_taken"))
        self.assertEqual(ticket._itims_take(self.tech_a)["code"], "already_yours")

    def test_take_refusals(self):
        ticket = self._ticket()
        self.tech_a.itims_max_active_tickets = 0
        self.assertEqual(ticket._itims_take(self.tech_a)["code"], "over_cap")
        outsider = self._new_technician("itims_tech_outsider")
        self.assertEqual(ticket._itims_take(outsider)["code"], "not_member")
        self.assertEqual(ticket._itims_take(self.manager.browse())["code"], "not_allowed")
        ticket.with_user(self.manager)._itims_close("cancelled", "Spam.")
        self.assertEqual(ticket._itims_take(self.tech_c)["code"], "not_in_queue")
        self.assertFalse(ticket._itims_take(self.env.ref("base.user_root"))["success"])

    def test_assign_to_me_is_take_and_respects_cap(self):
        self.tech_a.itims_max_active_tickets = 1
        first, second = self._tickets(2)
        first.with_user(self.tech_a).assign_to_me()
        self.assertEqual(first.user_id, self.tech_a)
        with self.assertRaisesRegex(UserError, "maximum is 1"):
            second.with_user(self.tech_a).assign_to_me()
        with self.assertRaisesRegex(UserError, "maximum is 1"):
            second.with_user(self.tech_a).user_id = self.tech_a

    def test_first_response_by_message_and_not_by_others(self):
        self._set_method("balanced")
        ticket = self._ticket()
        self.assertTrue(ticket.user_id)
        self.assertFalse(ticket.first_response_date)
        ticket.message_post(body="System note", message_type="comment")
        self.assertFalse(ticket.first_response_date, "the superuser is no technician")
        ticket.with_user(self.tech_b).message_post(body="Internal", message_type="notification")
        self.assertFalse(ticket.first_response_date)
        with freeze_time("2026-03-03 10:00:00"):
            ticket.with_user(ticket.user_id).message_post(
                body="On my way", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertEqual(ticket.first_response_date, datetime(2026, 3, 3, 10, 0))
        with freeze_time("2026-03-03 11:00:00"):
            ticket.with_user(ticket.user_id).message_post(body="Again", message_type="comment")
        self.assertEqual(ticket.first_response_date, datetime(2026, 3, 3, 10, 0))


@tagged("post_install", "-at_install")
class TestWorkloadRights(AssignmentCase):
    def test_manager_sets_duty_and_cap_technician_cannot(self):
        self.tech_a.with_user(self.manager).write(
            {"itims_on_duty": False, "itims_max_active_tickets": 5}
        )
        self.assertFalse(self.tech_a.itims_on_duty)
        self.assertEqual(self.tech_a.itims_max_active_tickets, 5)
        with self.assertRaises(AccessError):
            self.tech_a.with_user(self.manager).write({"login": "hijacked"})
        with self.assertRaises(AccessError):
            self.tech_b.with_user(self.tech_a).write({"itims_on_duty": False})
        with self.assertRaises(AccessError):
            self.tech_a.with_user(self.tech_a).write({"itims_max_active_tickets": 50})
        self.tech_a.with_user(self.tech_a).write({"itims_on_duty": True})
        self.assertTrue(self.tech_a.itims_on_duty)

    def test_counts_on_users(self):
        self._ticket(user_id=self.tech_a.id)
        self._ticket(user_id=self.tech_a.id)._itims_close("resolved", "Done.")
        self.tech_a.invalidate_recordset()
        self.assertEqual(self.tech_a.with_user(self.manager).itims_active_ticket_count, 1)
        self.assertEqual(self.tech_a.with_user(self.tech_b).itims_week_ticket_count, 2)
