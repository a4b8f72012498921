from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import AssignmentCase, activate_spanish


@tagged("post_install", "-at_install")
class TestLifecycle(AssignmentCase):
    """Stage changes go through Take, Resolve/Cancel (notes) and Reopen (reason)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.office = cls.env["hr.department"].create({"name": "Oficina de Tesorería"})
        cls.requester = cls.env["hr.employee"].create(
            {
                "name": "Rosa Quispe Mamani",
                "department_id": cls.office.id,
                "work_email": "rosa.quispe@example.com",
            }
        )
        cls.printer = cls.env["maintenance.equipment"].create(
            {
                "name": "Impresora HP LaserJet",
                "itims_asset_tag": "TES-IMP-0001",
                "itims_asset_type": "printer",
                "employee_id": cls.requester.id,
                "equipment_assign_to": "employee",
            }
        )

    def _ticket(self, team=None, **vals):
        ticket = super()._ticket(team=team, **vals)
        # as after the request that created it: Odoo tracks no record in the
        # transaction that created it
        self.env.flush_all()
        self.env.cr.precommit.run()
        return ticket

    def _resolve(self, ticket, notes="Se cambió el fusor."):
        ticket.with_user(self.tech_a).action_take()
        wizard = Form(
            self.env["helpdesk.ticket.close.wizard"]
            .with_user(self.tech_a)
            # the stage's e-mail goes out through tracking, which fixtures disable
            .with_context(tracking_disable=False, mail_notrack=False)
            .with_context(**ticket.with_user(self.tech_a).action_itims_resolve()["context"])
        )
        wizard.resolution_notes = notes
        wizard.save().action_confirm()
        # tracking (and the stage's e-mail) is finalised before the commit
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.assertEqual(ticket.itims_state, "resolved")

    def _reopen(self, ticket, reason):
        wizard = Form(
            self.env["helpdesk.ticket.reopen.wizard"]
            .with_user(self.tech_a)
            .with_context(active_id=ticket.id)
        )
        wizard.reason = reason
        wizard.save().action_confirm()

    def _closing_mails(self, ticket):
        """The closing e-mails sent to the requester (logged on the ticket)."""
        return ticket.message_ids.filtered(
            lambda m: (
                m.message_type == "email_outgoing"
                and ticket.number in (m.subject or "")
                and any(word in m.body for word in ("was resolved", "fue resuelta"))
            )
        )

    def test_status_bar_is_not_a_shortcut(self):
        arch = self.env["helpdesk.ticket"].get_views([(False, "form")])["views"]["form"]["arch"]
        stage = etree.fromstring(arch).xpath("//header/field[@name='stage_id']")[0]
        self.assertNotIn("clickable", stage.get("options", ""))

    def test_reopen_asks_a_reason_and_logs_it(self):
        ticket = self._ticket(requester_id=self.requester.id)
        self._resolve(ticket)
        with self.assertRaises(AssertionError):  # the wizard requires the reason
            Form(
                self.env["helpdesk.ticket.reopen.wizard"]
                .with_user(self.tech_a)
                .with_context(active_id=ticket.id)
            ).save()
        with self.assertRaisesRegex(UserError, "reason"):
            ticket.with_user(self.tech_a)._itims_reopen("  ")
        self._reopen(ticket, "La impresora vuelve a atascarse.")
        self.assertEqual(ticket.itims_state, "registered")
        self.assertFalse(ticket.user_id, "back in the queue of a manual team")
        self.assertIn(
            "La impresora vuelve a atascarse.", ticket.message_ids[:1].body, "reason logged"
        )
        with self.assertRaisesRegex(UserError, "neither resolved nor cancelled"):
            ticket.with_user(self.tech_a)._itims_reopen("Otra vez")

    def test_stage_write_cannot_reopen_without_the_reason(self):
        ticket = self._ticket()
        self._resolve(ticket)
        for stage in (self.stage_registered, self.stage_in_progress):
            with self.assertRaisesRegex(UserError, "Reopen"):
                ticket.with_user(self.tech_a).stage_id = stage
        self.assertEqual(ticket.itims_state, "resolved")
        # closing states between themselves need no reason (a correction)
        ticket.with_user(self.manager).stage_id = self.stage_cancelled
        self.assertEqual(ticket.itims_state, "cancelled")

    def test_resolving_again_keeps_one_history_entry_and_one_email(self):
        ticket = self._ticket(requester_id=self.requester.id)
        self.assertEqual(ticket.equipment_id, self.printer)
        self._resolve(ticket, "Se cambió el fusor.")
        self.assertEqual(len(ticket.maintenance_request_ids), 1)
        self.assertEqual(len(self._closing_mails(ticket)), 1)
        self._reopen(ticket, "Vuelve a fallar.")
        self._resolve(ticket, "Se cambió también el rodillo.")
        request = ticket.maintenance_request_ids
        self.assertEqual(len(request), 1, "one history entry per incident")
        self.assertIn("rodillo", request.description)
        self.assertEqual(len(self._closing_mails(ticket)), 1, "one closing e-mail")

    def test_done_repair_leaves_no_todo(self):
        ticket = self._ticket(requester_id=self.requester.id)
        self._resolve(ticket)
        self.assertFalse(ticket.maintenance_request_ids.activity_ids)

    def test_closing_email_in_the_requesters_language(self):
        activate_spanish(self.env, ["helpdesk_itims"])
        self.requester.work_contact_id.lang = "es_ES"
        ticket = self._ticket(requester_id=self.requester.id)
        self._resolve(ticket, "Se cambió el fusor.")
        mail = self._closing_mails(ticket)
        self.assertEqual(len(mail), 1)
        self.assertIn("Incidencia", mail.subject)
        self.assertIn("Resuelto", mail.subject)
        self.assertIn("fue resuelta", mail.body)
        self.assertIn("Se cambió el fusor.", mail.body)

    def test_workload_boards_hear_of_assignments(self):
        """Managers' and monitors' open boards are told once per transaction."""
        channel = self.env.ref("helpdesk_itims.group_itims_manager")
        Bus = self.env["bus.bus"].sudo()

        def notifications():
            return Bus.search_count(
                [
                    ("channel", "like", f'"res.groups",{channel.id}]'),
                    ("message", "like", "itims.workload/updated"),
                ]
            )

        ticket = self._ticket()
        before = notifications()
        ticket.with_user(self.tech_a).action_take()
        self.tech_b.with_user(self.manager).itims_on_duty = False
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.assertEqual(notifications(), before + 1)
