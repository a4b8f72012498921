from datetime import datetime, timedelta

from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, freeze_time, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import AssignmentCase


@tagged("post_install", "-at_install")
class TestWorkspace(AssignmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.office = cls.env["hr.department"].create({"name": "Mesa de Partes"})
        cls.requester = cls.env["hr.employee"].create(
            {"name": "Rosa Quispe", "department_id": cls.office.id}
        )
        cls.printer = cls.env["maintenance.equipment"].create(
            {
                "name": "HP LaserJet 2nd floor",
                "itims_asset_tag": "PRN-WS-01",
                "itims_asset_type": "printer",
                "employee_id": cls.requester.id,
                "equipment_assign_to": "employee",
            }
        )

    def _close_with_wizard(self, ticket, user, state, notes):
        action = getattr(ticket.with_user(user), f"action_itims_{state}")()
        self.assertEqual(action["res_model"], "helpdesk.ticket.close.wizard")
        wizard = Form(
            self.env["helpdesk.ticket.close.wizard"]
            .with_user(user)
            .with_context(**action["context"])
        )
        wizard.resolution_notes = notes
        wizard.save().action_confirm()

    def test_resolve_with_notes_leaves_a_done_corrective_maintenance(self):
        ticket = self._ticket(requester_id=self.requester.id)
        self.assertEqual(ticket.equipment_id, self.printer, "the requester's asset is proposed")
        ticket.with_user(self.tech_a).action_take()
        with freeze_time(datetime.now() + timedelta(hours=2)):
            self._close_with_wizard(ticket, self.tech_a, "resolve", "Replaced the fuser unit.")
        self.assertEqual(ticket.itims_state, "resolved")
        self.assertEqual(ticket.resolution_notes, "Replaced the fuser unit.")
        self.assertTrue(ticket.closed_date)
        request = ticket.maintenance_request_ids
        self.assertEqual(len(request), 1)
        self.assertEqual(request.equipment_id, self.printer)
        self.assertIn(request, self.printer.maintenance_ids)
        self.assertEqual(request.maintenance_type, "corrective")
        self.assertTrue(request.stage_id.done)
        self.assertTrue(request.close_date)
        self.assertIn("Replaced the fuser unit.", request.description)
        self.assertIn(ticket.number, request.name)
        self.assertEqual(request.user_id, self.tech_a)
        self.assertAlmostEqual(request.duration, 2, delta=0.1)
        self.assertEqual(self.printer.with_user(self.tech_b).helpdesk_ticket_count, 1)
        action = self.printer.action_view_helpdesk_tickets()
        self.assertEqual(self.env["helpdesk.ticket"].search(action["domain"]), ticket)

    def test_cancel_needs_notes_and_leaves_no_maintenance(self):
        ticket = self._ticket(equipment_id=self.printer.id)
        with self.assertRaisesRegex(UserError, "actions performed"):
            ticket.with_user(self.tech_a)._itims_close("cancelled", "   ")
        with self.assertRaises(AssertionError):  # the wizard requires the notes
            wizard = Form(
                self.env["helpdesk.ticket.close.wizard"]
                .with_user(self.tech_a)
                .with_context(default_ticket_id=ticket.id, default_close_state="cancelled")
            )
            wizard.save()
        self._close_with_wizard(ticket, self.tech_a, "cancel", "Reported twice.")
        self.assertEqual(ticket.itims_state, "cancelled")
        self.assertFalse(ticket.maintenance_request_ids)

    def test_equipment_proposal(self):
        other = self.env["hr.employee"].create({"name": "Luis Mamani"})
        self.assertFalse(self._ticket(requester_id=other.id).equipment_id, "owns nothing")
        monitor, laptop = self.env["maintenance.equipment"].create(
            [
                {"name": "Monitor", "employee_id": other.id, "equipment_assign_to": "employee"},
                {"name": "Laptop", "employee_id": other.id, "equipment_assign_to": "employee"},
            ]
        )
        self.assertFalse(self._ticket(requester_id=other.id).equipment_id, "which of the two?")
        laptop.itims_lifecycle_status = "retired"
        ticket = self._ticket(requester_id=other.id)
        self.assertEqual(ticket.equipment_id, monitor)
        # a choice for the requester is kept; changing the requester proposes theirs
        ticket.requester_id = self.requester
        self.assertEqual(ticket.equipment_id, self.printer)
        shared = self.env["maintenance.equipment"].create({"name": "Shared scanner"})
        explicit = self._ticket(requester_id=self.requester.id, equipment_id=shared.id)
        self.assertEqual(explicit.equipment_id, shared)

    def test_queue_action_lists_registered_unassigned_oldest_first(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_itims.helpdesk_ticket_action_queue"
        )
        older = self._ticket(name="Older")
        newer = self._ticket(name="Newer")
        taken = self._ticket(name="Taken")
        taken.with_user(self.tech_b).action_take()
        domain = [("team_id", "=", self.team.id), *safe_eval(action["domain"])]
        arch = self.env["helpdesk.ticket"].get_view(
            self.env.ref("helpdesk_itims.helpdesk_ticket_view_list_queue").id, "list"
        )["arch"]
        self.assertIn('default_order="create_date asc, id asc"', arch)
        queue = self.env["helpdesk.ticket"].search(domain, order="create_date asc, id asc")
        self.assertEqual(queue, older | newer)
        with freeze_time(older.create_date + timedelta(hours=2, minutes=30)):
            older.invalidate_recordset(["itims_queue_age"])
            self.assertAlmostEqual(older.itims_queue_age, 2.5, places=3)
        self.assertEqual(
            self.env.ref("helpdesk_mgmt.helpdesk_ticket_action").context,
            "{}",  # issue 18: All Tickets is the whole desk, unfiltered
        )

    def test_chatter_tracks_assignment_and_state_with_author(self):
        Ticket = self.env["helpdesk.ticket"].with_context(
            tracking_disable=False, mail_notrack=False
        )
        ticket = Ticket.create(
            {"name": "No network", "description": "<p>Cable?</p>", "team_id": self.team.id}
        )
        # a later request than the creation (changes within the creating transaction
        # belong to the creation message)
        self.env.cr.precommit.run()
        ticket.with_user(self.tech_c).action_take()
        self.env.cr.precommit.run()  # posts the tracking messages
        tracking = ticket.message_ids.tracking_value_ids
        assignment = tracking.filtered(lambda v: v.field_id.name == "user_id")
        stage = tracking.filtered(lambda v: v.field_id.name == "stage_id")
        self.assertEqual(assignment.new_value_char, self.tech_c.name)
        self.assertEqual(stage.new_value_char, self.stage_in_progress.name)
        self.assertEqual(assignment.mail_message_id.author_id, self.tech_c.partner_id)
        self.assertTrue(assignment.mail_message_id.date)
        ticket.with_user(self.tech_c)._itims_close("resolved", "Plugged the cable in.")
        self.env.cr.precommit.run()
        closing = ticket.message_ids.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "stage_id" and v.new_value_char == self.stage_resolved.name
        )
        self.assertEqual(closing.mail_message_id.author_id, self.tech_c.partner_id)

    def test_engine_note_is_authored_by_the_system(self):
        self._set_method("round_robin")
        ticket = self._ticket()
        note = ticket.message_ids.filtered(lambda m: "Assigned automatically" in m.body)
        self.assertEqual(len(note), 1)
        self.assertIn(ticket.user_id.name, note.body)
        self.assertIn("Round Robin", note.body)
        self.assertEqual(note.author_id, self.env.ref("base.partner_root"))

    def test_views_for_technicians_and_managers(self):
        form = self.env["helpdesk.ticket"].with_user(self.tech_a).get_view(view_type="form")
        for button in ("action_take", "action_itims_resolve", "action_itims_cancel"):
            self.assertIn(f'name="{button}"', form["arch"])
        board = self.env.ref("helpdesk_itims.res_users_action_itims_workload")
        users = (
            self.env["res.users"]
            .with_user(self.manager)
            .search_read(
                safe_eval(board.domain),
                ["itims_on_duty", "itims_active_ticket_count", "itims_max_active_tickets"],
            )
        )
        ids = [user["id"] for user in users]
        self.assertTrue({self.tech_a.id, self.tech_b.id, self.tech_c.id} <= set(ids))
        self.assertNotIn(self.manager.id, ids, "not in a team")
        self.assertEqual(self.team.itims_queue_count, 0)


@tagged("post_install", "-at_install")
class TestWorkspaceTour(HttpCase):
    def test_technician_takes_oldest_resolves_and_equipment_shows_it(self):
        env = self.env(context=dict(self.env.context, no_reset_password=True))
        technician = new_test_user(
            env,
            login="itims_tour_tech",
            groups="helpdesk_itims.group_itims_technician",
            name="Tour Technician",
            lang="en_US",
        )
        team = env["helpdesk.ticket.team"].create(
            {
                "name": "Tour team",
                "itims_assignment_method": "manual",
                "user_ids": [(6, 0, technician.ids)],
            }
        )
        printer = env["maintenance.equipment"].create(
            {"name": "Tour printer", "itims_asset_tag": "PRN-TOUR-1", "itims_asset_type": "printer"}
        )
        Ticket = env["helpdesk.ticket"]
        # created in this order: the first one is the oldest of the FIFO queue
        oldest = Ticket.create(
            {
                "name": "Oldest: printer jammed",
                "description": "<p>Paper jam</p>",
                "team_id": team.id,
                "equipment_id": printer.id,
            }
        )
        Ticket.create(
            {"name": "Newer: mouse broken", "description": "<p>Mouse</p>", "team_id": team.id}
        )
        self.start_tour("/odoo", "itims_workspace_tour", login="itims_tour_tech")
        oldest.invalidate_recordset()
        self.assertEqual(oldest.user_id, technician)
        self.assertEqual(oldest.itims_state, "resolved")
        self.assertTrue(oldest.first_response_date)
        request = printer.maintenance_ids
        self.assertEqual(len(request), 1)
        self.assertEqual(request.helpdesk_ticket_ids, oldest)
        self.assertTrue(request.stage_id.done)
        self.assertIn("Replaced the fuser unit", request.description)
