import re
from collections import Counter
from datetime import time, timedelta

import pytz
from freezegun import freeze_time

from odoo import fields
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

from .common import QUIET_CONTEXT

LIMA = pytz.timezone("America/Lima")
DEMO_TEAM = "helpdesk_itims.helpdesk_ticket_team_soporte_ti_demo"


def lima(moment):
    return pytz.utc.localize(moment).astimezone(LIMA).replace(tzinfo=None)


class HistoryChecks:
    """Invariants every generated history keeps, demo or not."""

    def assertHistoryConsistent(self, tickets):
        for ticket in tickets:
            created = lima(ticket.create_date)
            self.assertLess(created.weekday(), 5, ticket.number)
            self.assertTrue(time(8) <= created.time() < time(17), ticket.number)
            self.assertFalse(time(13) <= created.time() < time(14), ticket.number)
            self.assertTrue(ticket.requester_id.identification_id, ticket.number)
            self.assertEqual(ticket.office_id, ticket.requester_id.department_id)
            self.assertEqual(ticket.requester_national_id, ticket.requester_id.identification_id)
            if ticket.itims_state == "registered":
                self.assertFalse(
                    ticket.user_id or ticket.assigned_date or ticket.first_response_date,
                    f"{ticket.number} waits unassigned in the queue",
                )
                continue
            self.assertIn(ticket.user_id, ticket.team_id.user_ids, ticket.number)
            self.assertGreater(ticket.assigned_date, ticket.create_date, ticket.number)
            self.assertGreaterEqual(ticket.first_response_date, ticket.assigned_date)
            if ticket.itims_state == "in_progress":
                self.assertFalse(ticket.closed_date, ticket.number)
                continue
            self.assertGreater(ticket.closed_date, ticket.first_response_date, ticket.number)
            self.assertEqual(ticket.last_stage_update, ticket.closed_date, ticket.number)
            self.assertTrue(ticket.resolution_notes, ticket.number)
        in_progress = Counter(tickets.filtered(lambda t: t.itims_state == "in_progress").user_id)
        for technician, count in in_progress.items():
            self.assertLessEqual(count, technician.itims_max_active_tickets, technician.login)

    def assertNoneWaitsWithRoom(self, tickets):
        """Where the engine assigns, a ticket waits only when every technician of
        its team is full (issue 18: nobody waits while someone has room)."""
        for ticket in tickets.filtered(lambda t: t.itims_state == "registered"):
            for technician in ticket.team_id.user_ids:
                load = self.env["helpdesk.ticket"].search_count(
                    [("user_id", "=", technician.id), ("itims_state", "=", "in_progress")]
                )
                self.assertGreaterEqual(
                    load, technician.itims_max_active_tickets, f"{ticket.number} waits"
                )


class TestDemoData(TransactionCase, HistoryChecks):
    """The demo data itself: this test reads it by XML id, on purpose."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env.ref(DEMO_TEAM)
        cls.tickets = cls.env["helpdesk.ticket"].search([("team_id", "=", cls.team.id)])

    def _demo(self, model):
        data = self.env["ir.model.data"].search(
            [("module", "=", "helpdesk_itims"), ("model", "=", model), ("name", "=like", "%_demo")]
        )
        return self.env[model].browse(data.mapped("res_id"))

    def test_offices(self):
        offices = self._demo("hr.department")
        self.assertEqual(len(offices), 12)
        self.assertEqual(len(set(offices.mapped("itims_office_code"))), 12)
        for office in offices:
            self.assertTrue(office.itims_building and office.itims_floor, office.name)
            self.assertRegex(office.itims_phone_extension, r"^\d{4}$")
            self.assertTrue(office.manager_id, office.name)

    def test_employees_have_national_ids(self):
        employees = self._demo("hr.employee")
        self.assertEqual(len(employees), 40)
        national_ids = employees.mapped("identification_id")
        self.assertTrue(all(re.match(r"^\d{8}$", dni) for dni in national_ids))
        self.assertEqual(len(set(national_ids)), 40)
        self.assertTrue(
            all(email.endswith("@gra-demo.gob.pe") for email in employees.mapped("work_email"))
        )
        self.assertEqual(employees.department_id, self._demo("hr.department"))

    def test_support_staff(self):
        it_office = self.env.ref("helpdesk_itims.hr_department_tecnologias_informacion_demo")
        technicians = self.team.user_ids
        self.assertEqual(len(technicians), 5)
        self.assertEqual(self.team.itims_assignment_method, "balanced")
        for technician in technicians:
            self.assertTrue(technician.has_group("helpdesk_itims.group_itims_technician"))
            self.assertFalse(technician.has_group("helpdesk_itims.group_itims_manager"))
            self.assertEqual(technician.employee_ids.department_id, it_office)
        manager = self.env.ref("helpdesk_itims.res_users_jefesoporte_demo")
        self.assertTrue(manager.has_group("helpdesk_itims.group_itims_manager"))
        self.assertEqual(self.team.user_id, manager)
        monitor = self.env.ref("helpdesk_itims.res_users_monitorti_demo")
        self.assertTrue(monitor.has_group("helpdesk_itims.group_itims_monitor"))
        self.assertFalse(monitor.has_group("helpdesk_itims.group_itims_technician"))

    def test_assets(self):
        assets = self._demo("maintenance.equipment")
        self.assertEqual(len(assets), 60)
        self.assertEqual(len(set(assets.mapped("itims_asset_tag"))), 60)
        self.assertLessEqual(
            {"desktop", "cpu", "laptop", "monitor", "printer", "network"},
            set(assets.mapped("itims_asset_type")),
        )
        statuses = Counter(assets.mapped("itims_lifecycle_status"))
        self.assertGreaterEqual(statuses["in_use"], 50)
        self.assertTrue(statuses["in_repair"] and statuses["in_stock"] and statuses["retired"])
        for asset in assets.filtered(lambda a: a.itims_lifecycle_status == "in_use"):
            self.assertTrue(asset.employee_id or asset.department_id, asset.itims_asset_tag)
            self.assertTrue(asset.serial_no, asset.itims_asset_tag)

    def test_ticket_history(self):
        self.assertTrue(400 <= len(self.tickets) <= 600, len(self.tickets))
        oldest = min(self.tickets.mapped("create_date"))
        self.assertLessEqual(oldest, fields.Datetime.now() - timedelta(days=110))
        self.assertGreaterEqual(oldest, fields.Datetime.now() - timedelta(days=125))
        self.assertHistoryConsistent(self.tickets)
        states = Counter(self.tickets.mapped("itims_state"))
        self.assertTrue(states["in_progress"], states)
        self.assertNoneWaitsWithRoom(self.tickets)
        self.assertTrue(0.02 <= states["cancelled"] / len(self.tickets) <= 0.09, states)
        assigned = Counter(self.tickets.filtered("user_id").mapped("user_id.login"))
        self.assertEqual(len(assigned), 5)
        self.assertLess(max(assigned.values()) / min(assigned.values()), 1.4, assigned)
        self.assertEqual(len(set(self.tickets.mapped("number"))), len(self.tickets))
        self.assertGreater(len(self.tickets.filtered("equipment_id")), len(self.tickets) / 4)
        # no assignment engine ran on the history: the queue stays unassigned
        self.assertFalse(self.tickets.filtered(lambda t: t.itims_state == "registered").user_id)

    def test_queue_of_the_manual_desk(self):
        """The demo opens with three tickets waiting in the queue of the desk
        whose technicians take them, and its technicians have room to."""
        desk = self.env.ref("helpdesk_itims.helpdesk_ticket_team_aplicaciones_demo")
        self.assertEqual(desk.itims_assignment_method, "manual")
        queue = self.env["helpdesk.ticket"].search([("team_id", "=", desk.id)])
        self.assertEqual(len(queue), 3)
        self.assertEqual(set(queue.mapped("itims_state")), {"registered"})
        self.assertFalse(queue.user_id)
        self.assertHistoryConsistent(queue)
        self.assertLessEqual(queue.category_id, desk.category_ids)
        self.assertGreater(
            fields.Datetime.now() - min(queue.mapped("create_date")), timedelta(days=1)
        )
        for technician in desk.user_ids:
            load = self.env["helpdesk.ticket"].search_count(
                [("user_id", "=", technician.id), ("itims_state", "=", "in_progress")]
            )
            self.assertLess(load, technician.itims_max_active_tickets, technician.login)

    def test_asset_history(self):
        repairs = self.tickets.maintenance_request_ids
        self.assertGreater(len(repairs), 20)
        for repair in repairs:
            ticket = repair.helpdesk_ticket_ids
            self.assertEqual(repair.equipment_id, ticket.equipment_id)
            if ticket.itims_state == "resolved":
                self.assertTrue(repair.stage_id.done and repair.close_date)
                self.assertEqual(repair.close_date, lima(ticket.closed_date).date())
        for asset in self._demo("maintenance.equipment").filtered(
            lambda a: a.itims_lifecycle_status == "in_repair"
        ):
            open_tickets = asset.helpdesk_ticket_ids.filtered(
                lambda t: t.itims_state in ("registered", "in_progress")
            )
            self.assertTrue(open_tickets, f"{asset.itims_asset_tag} is being repaired")
        for asset in self._demo("maintenance.equipment"):
            if asset.itims_lifecycle_status == "in_stock":
                self.assertFalse(asset.helpdesk_ticket_ids, asset.itims_asset_tag)
            elif asset.itims_lifecycle_status == "retired":
                for ticket in asset.helpdesk_ticket_ids:
                    self.assertLess(ticket.create_date.date(), asset.scrap_date)

    def test_ratings(self):
        ratings = self.env["rating.rating"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "in", self.tickets.ids)]
        )
        self.assertGreater(len(ratings), 100)
        for rating in ratings:
            ticket = self.env["helpdesk.ticket"].browse(rating.res_id)
            self.assertEqual(ticket.itims_state, "resolved")
            self.assertIn(rating.rating, (1, 2, 3, 4, 5))
            self.assertGreater(rating.create_date, ticket.closed_date)
            self.assertEqual(rating.rated_partner_id, ticket.user_id.partner_id)


class TestDemoHistoryGenerator(TransactionCase, HistoryChecks):
    """The generator on a company of its own, independent of the demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, **QUIET_CONTEXT, itims_skip_assignment=True)
        )
        cls.company = cls.env["res.company"].create({"name": "Municipalidad Demo"})

        def technician(login):
            return new_test_user(
                cls.env,
                login=login,
                groups="helpdesk_itims.group_itims_technician",
                company_id=cls.company.id,
                company_ids=[(6, 0, cls.company.ids)],
            )

        cls.tech_a, cls.tech_b = technician("gen_tech_a"), technician("gen_tech_b")
        cls.tech_b.itims_max_active_tickets = 1
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Mesa de ayuda",
                "company_id": cls.company.id,
                "user_ids": [(6, 0, (cls.tech_a | cls.tech_b).ids)],
            }
        )
        cls.office = cls.env["hr.department"].create(
            {
                "name": "Oficina de Logística",
                "company_id": cls.company.id,
                "itims_office_code": "LOG",
                "itims_building": "Palacio Municipal",
                "itims_floor": "Piso 2",
            }
        )
        cls.employees = cls.env["hr.employee"].create(
            [
                {
                    "name": name,
                    "company_id": cls.company.id,
                    "department_id": cls.office.id,
                    "identification_id": dni,
                    "work_email": f"{dni}@example.com",
                }
                for name, dni in (
                    ("Ana Huamán Rojas", "70000001"),
                    ("Luis Quispe Soto", "70000002"),
                    ("Rosa Mamani Vega", "70000003"),
                )
            ]
        )
        cls.env["maintenance.team"].create({"name": "Soporte", "company_id": cls.company.id})
        Equipment = cls.env["maintenance.equipment"]
        cls.pc = Equipment.create(
            {
                "name": "Computadora de prueba",
                "company_id": cls.company.id,
                "itims_asset_tag": "GEN-PC-1",
                "itims_asset_type": "desktop",
                "equipment_assign_to": "employee",
                "employee_id": cls.employees[0].id,
            }
        )
        cls.printer = Equipment.create(
            {
                "name": "Impresora de prueba",
                "company_id": cls.company.id,
                "itims_asset_tag": "GEN-IMP-1",
                "itims_asset_type": "printer",
                "equipment_assign_to": "department",
                "department_id": cls.office.id,
            }
        )

    def _generate(self, seed=11):
        return self.env["helpdesk.ticket"]._itims_generate_demo_history(
            self.team.id, days=20, seed=seed
        )

    @freeze_time("2030-06-12 20:00:00")  # a Wednesday, 15:00 in Lima
    def test_history_of_a_team(self):
        tickets = self._generate()
        self.assertTrue(50 <= len(tickets) <= 120, len(tickets))
        self.assertEqual(tickets.team_id, self.team)
        self.assertEqual(tickets.requester_id, self.employees)
        self.assertFalse(tickets.equipment_id - (self.pc | self.printer))
        self.assertEqual(tickets.user_id, self.tech_a | self.tech_b)
        self.assertHistoryConsistent(tickets)
        self.assertEqual(min(tickets.mapped("create_date")).date().isoformat(), "2030-05-23")
        self.assertLess(max(tickets.mapped("create_date")), fields.Datetime.now())
        states = Counter(tickets.mapped("itims_state"))
        self.assertNoneWaitsWithRoom(tickets)
        self.assertTrue(states["in_progress"] and states["resolved"], states)
        self.assertTrue(all(n.startswith("INC-2030-") for n in tickets.mapped("number")))
        self.assertEqual(
            self.pc.maintenance_ids,
            tickets.filtered(lambda t: t.equipment_id == self.pc).maintenance_request_ids,
        )

    @freeze_time("2030-06-12 20:00:00")
    def test_history_of_a_manual_team(self):
        # where technicians take tickets themselves, the newest wait in the queue
        self.team.itims_assignment_method = "manual"
        tickets = self._generate()
        self.assertHistoryConsistent(tickets)
        self.assertGreaterEqual(Counter(tickets.mapped("itims_state"))["registered"], 3)

    @freeze_time("2030-06-12 20:00:00")  # a Wednesday, 15:00 in Lima
    def test_queue_of_a_manual_team(self):
        self.team.itims_assignment_method = "manual"
        queue = self.env["helpdesk.ticket"]._itims_generate_demo_queue(self.team.id)
        self.assertEqual(len(queue), 3)
        self.assertHistoryConsistent(queue)
        self.assertEqual(set(queue.mapped("itims_state")), {"registered"})
        self.assertFalse(queue.user_id)
        self.assertEqual(
            [lima(t.create_date).isoformat(timespec="hours") for t in queue.sorted("create_date")],
            ["2030-06-10T10", "2030-06-11T15", "2030-06-12T12"],
        )
        self.assertTrue(all(n.startswith("INC-2030-") for n in queue.mapped("number")))

    @freeze_time("2030-06-12 20:00:00")
    def test_history_is_deterministic(self):
        def digest(tickets):
            return [
                (t.name, t.requester_id, t.user_id, t.create_date, t.closed_date, t.itims_state)
                for t in tickets
            ]

        first = self._generate()
        again = self._generate()
        self.assertEqual(digest(first), digest(again))
        self.assertNotEqual(digest(first), digest(self._generate(seed=12)))
