from odoo.exceptions import AccessError
from odoo.tools import mute_logger

from .common import ItimsCommon


class TestSecurity(ItimsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket_team = cls._ticket(team=cls.team)
        cls.ticket_team_2 = cls._ticket(team=cls.team_2)
        cls.ticket_no_team = cls._ticket(team=cls.env["helpdesk.ticket.team"])
        cls.ticket_company_b = cls._ticket(team=cls.team_b, company_id=cls.company_b.id)
        cls.all_tickets = (
            cls.ticket_team | cls.ticket_team_2 | cls.ticket_no_team | cls.ticket_company_b
        )

    def _visible(self, user):
        return (
            self.env["helpdesk.ticket"].with_user(user).search([("id", "in", self.all_tickets.ids)])
        )

    # ------------------------------------------------------------------ groups
    def test_group_chain(self):
        admin_groups = self.admin.groups_id
        for xmlid in (
            "helpdesk_itims.group_itims_manager",
            "helpdesk_itims.group_itims_technician",
            "helpdesk_mgmt.group_helpdesk_manager",
        ):
            self.assertIn(self.env.ref(xmlid), admin_groups, xmlid)
        self.assertTrue(self.manager.has_group("helpdesk_itims.group_itims_technician"))
        self.assertFalse(self.manager.has_group("helpdesk_itims.group_itims_admin"))
        self.assertFalse(self.technician.has_group("helpdesk_itims.group_itims_manager"))
        self.assertFalse(self.monitor.has_group("helpdesk_mgmt.group_helpdesk_user_own"))

    # ------------------------------------------------------------------ technician
    def test_technician_sees_own_team_only(self):
        self.assertEqual(self._visible(self.technician), self.ticket_team)
        with self.assertRaises(AccessError):
            self.ticket_team_2.with_user(self.technician).read(["name"])
        with self.assertRaises(AccessError):
            self.ticket_company_b.with_user(self.technician).read(["name"])

    def test_technician_sees_tickets_assigned_to_them_elsewhere(self):
        self.ticket_team_2.user_id = self.technician
        self.assertIn(self.ticket_team_2, self._visible(self.technician))

    def test_technician_works_but_cannot_delete_or_configure(self):
        ticket = self.ticket_team.with_user(self.technician)
        ticket.write({"priority": "2"})
        self.assertEqual(ticket.priority, "2")
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            ticket.unlink()
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.ticket_team_2.with_user(self.technician).write({"priority": "1"})
        with self.assertRaises(AccessError):
            self.env["helpdesk.ticket.stage"].with_user(self.technician).create(
                {"name": "Mi etapa", "itims_state": "in_progress"}
            )
        with self.assertRaises(AccessError):
            self.team.with_user(self.technician).write({"itims_assignment_method": "manual"})

    def test_technician_duty_flag_but_not_own_cap(self):
        me = self.technician.with_user(self.technician)
        me.write({"itims_on_duty": False})
        self.assertFalse(self.technician.itims_on_duty)
        with self.assertRaises(AccessError):
            me.write({"itims_max_active_tickets": 50})
        with self.assertRaises(AccessError):
            self.technician_2.with_user(self.technician).write({"itims_on_duty": False})

    def test_telegram_chat_id_is_private(self):
        self.technician_2.telegram_chat_id = "123456789"
        with self.assertRaises(AccessError):
            self.technician_2.with_user(self.technician).read(["telegram_chat_id"])
        self.assertEqual(self.technician_2.with_user(self.manager).telegram_chat_id, "123456789")

    # ------------------------------------------------------------------ manager
    def test_manager_sees_every_ticket_of_their_company(self):
        self.assertEqual(
            self._visible(self.manager),
            self.ticket_team | self.ticket_team_2 | self.ticket_no_team,
        )
        self.ticket_team_2.with_user(self.manager).write({"user_id": self.technician_2.id})
        self.assertEqual(self._visible(self.manager_b), self.ticket_company_b)

    def test_manager_sets_technician_workload_only(self):
        self.technician.with_user(self.manager).write(
            {"itims_max_active_tickets": 5, "itims_on_duty": False}
        )
        self.assertEqual(self.technician.itims_max_active_tickets, 5)
        self.assertFalse(self.technician.itims_on_duty)
        with self.assertRaises(AccessError):
            self.technician.with_user(self.manager).write({"name": "Otro nombre"})
        with self.assertRaises(AccessError):
            self.technician.with_user(self.manager).write(
                {"itims_max_active_tickets": 6, "login": "x"}
            )
        with self.assertRaises(AccessError):
            self.employee_user.with_user(self.manager).write({"itims_max_active_tickets": 3})
        with self.assertRaises(AccessError):
            self.technician.with_user(self.manager_b).write({"itims_max_active_tickets": 3})
        with self.assertRaises(AccessError):
            self.technician.with_user(self.technician_2).write({"itims_max_active_tickets": 3})

    def test_manager_manages_assets(self):
        self.assertTrue(
            self.env["maintenance.equipment"]
            .with_user(self.manager)
            .create({"name": "Switch piso 2", "itims_asset_tag": "RED-0001"})
        )
        with self.assertRaises(AccessError):
            self.env["maintenance.equipment"].with_user(self.technician).create(
                {"name": "Switch piso 3", "itims_asset_tag": "RED-0002"}
            )

    def test_only_admin_configures(self):
        Stage = self.env["helpdesk.ticket.stage"]
        with self.assertRaises(AccessError):
            Stage.with_user(self.manager).create({"name": "X", "itims_state": "in_progress"})
        stage = Stage.with_user(self.admin).create(
            {"name": "En espera", "itims_state": "in_progress"}
        )
        self.assertEqual(stage.itims_state, "in_progress")

    # ------------------------------------------------------------------ monitor
    def test_monitor_reads_everything_of_company_and_changes_nothing(self):
        self.assertEqual(
            self._visible(self.monitor),
            self.ticket_team | self.ticket_team_2 | self.ticket_no_team,
        )
        ticket = self.ticket_team.with_user(self.monitor)
        self.assertTrue(ticket.number)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            ticket.write({"priority": "2"})
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            ticket.unlink()
        with self.assertRaises(AccessError):
            self.env["helpdesk.ticket"].with_user(self.monitor).create(
                {"name": "x", "description": "x", "team_id": self.team.id}
            )
        self.assertTrue(
            self.env["maintenance.equipment"].with_user(self.monitor).search_count([]) >= 0
        )

    # ------------------------------------------------------------------ others
    def test_plain_employee_sees_only_followed_tickets(self):
        self.assertFalse(self._visible(self.employee_user))
        self.ticket_team.message_subscribe(partner_ids=self.employee_user.partner_id.ids)
        self.assertEqual(self._visible(self.employee_user), self.ticket_team)
        with self.assertRaises(AccessError):
            self.ticket_team.with_user(self.employee_user).write({"priority": "2"})

    def test_public_user_has_no_ticket_access(self):
        public = self.env.ref("base.public_user")
        with self.assertRaises(AccessError):
            self.env["helpdesk.ticket"].with_user(public).search([])
        with self.assertRaises(AccessError):
            self.requester.with_user(public).read(["identification_id"])
