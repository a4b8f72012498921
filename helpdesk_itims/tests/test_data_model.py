import re

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tools import mute_logger

from .common import ItimsCommon


class TestDataModel(ItimsCommon):
    def test_ticket_number_format(self):
        ticket = self._ticket()
        year = ticket.create_date.year
        self.assertRegex(ticket.number, rf"^INC-{year}-\d{{6}}$")
        other = self._ticket()
        self.assertEqual(int(other.number[-6:]), int(ticket.number[-6:]) + 1)

    def test_ticket_number_restarts_each_year(self):
        with freeze_time("2031-01-02 09:00:00"):
            first = self._ticket()
            second = self._ticket()
        self.assertEqual(first.number, "INC-2031-000001")
        self.assertEqual(second.number, "INC-2031-000002")
        with freeze_time("2032-01-05 09:00:00"):
            self.assertEqual(self._ticket().number, "INC-2032-000001")

    def test_four_stages_with_itims_states(self):
        stages = self.env["helpdesk.ticket.stage"].search([])
        self.assertEqual(
            stages.mapped("itims_state"),
            ["registered", "in_progress", "resolved", "cancelled"],
            "the active default stages, in order, are the four ITIMS states",
        )
        self.assertEqual(self.stage_registered.with_context(lang="en_US").name, "Registered")
        self.assertTrue(self.stage_resolved.closed and self.stage_cancelled.closed)

    def test_state_follows_stage(self):
        ticket = self._ticket()
        self.assertEqual(ticket.stage_id, self.stage_registered)
        self.assertEqual(ticket.itims_state, "registered")
        ticket.stage_id = self.stage_in_progress
        self.assertEqual(ticket.itims_state, "in_progress")
        # stored: searchable and groupable in SQL
        self.assertIn(
            ticket, self.env["helpdesk.ticket"].search([("itims_state", "=", "in_progress")])
        )

    def test_requester_fills_office_and_national_id(self):
        ticket = self._ticket(requester_id=self.requester.id)
        self.assertEqual(ticket.office_id, self.office)
        self.assertEqual(ticket.requester_national_id, "40123456")
        # both stay editable for an unknown requester typed by hand
        other_office = self.env["hr.department"].create({"name": "Mesa de Partes"})
        ticket.office_id = other_office
        self.assertEqual(ticket.office_id, other_office)

    def test_resolution_notes_required_to_close(self):
        for stage in (self.stage_resolved, self.stage_cancelled):
            ticket = self._ticket()
            with self.assertRaisesRegex(ValidationError, "resolution notes"):
                ticket.write({"stage_id": stage.id})
            with self.assertRaisesRegex(ValidationError, "resolution notes"):
                ticket.write({"stage_id": stage.id, "resolution_notes": "   "})
            ticket.write({"stage_id": stage.id, "resolution_notes": "Se reinstaló el driver."})
            self.assertEqual(ticket.itims_state, stage.itims_state)
            self.assertTrue(ticket.closed_date)
            # emptying the notes of a closed ticket is refused too
            with self.assertRaisesRegex(ValidationError, "resolution notes"):
                ticket.resolution_notes = False

    def test_national_id_format(self):
        Employee = self.env["hr.employee"]
        for bad in ("1234567", "123456789", "4012345A", "40 123 45"):
            with self.assertRaises(ValidationError, msg=bad):
                Employee.create({"name": "Mal DNI", "identification_id": bad})
        self.assertTrue(Employee.create({"name": "Sin DNI"}))
        # the format is per company: another company accepts its own format
        self.company_b.itims_national_id_regex = r"^[A-Z]{4}\d{6}[HM]$"
        employee_b = Employee.create(
            {"name": "Ana", "identification_id": "GOAA900101M", "company_id": self.company_b.id}
        )
        self.assertTrue(employee_b)
        with self.assertRaises(ValidationError):
            Employee.create(
                {"name": "Ana", "identification_id": "40123457", "company_id": self.company_b.id}
            )

    def test_national_id_unique_per_company(self):
        Employee = self.env["hr.employee"]
        with self.assertRaisesRegex(ValidationError, "already has the national ID"):
            Employee.create({"name": "Otra Juana", "identification_id": "40123456"})
        other = Employee.create(
            {"name": "Juana", "identification_id": "40123456", "company_id": self.company_b.id}
        )
        self.assertTrue(other)

    def test_invalid_regex_refused(self):
        with self.assertRaisesRegex(ValidationError, "regular expression"):
            self.company.itims_national_id_regex = "^(\\d{8}$"

    def test_asset_tag_unique_per_company(self):
        Equipment = self.env["maintenance.equipment"]
        Equipment.create({"name": "PC Tesorería", "itims_asset_tag": "PC-0001"})
        Equipment.create(
            {"name": "PC B", "itims_asset_tag": "PC-0001", "company_id": self.company_b.id}
        )
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            Equipment.create({"name": "Otra PC", "itims_asset_tag": "PC-0001"})

    def test_office_code_unique_per_company(self):
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.env["hr.department"].create({"name": "Copia", "itims_office_code": "TES-T"})

    def test_equipment_incidents(self):
        printer = self.env["maintenance.equipment"].create(
            {"name": "HP LaserJet", "itims_asset_tag": "IMP-0001", "itims_asset_type": "printer"}
        )
        self.assertEqual(printer.itims_lifecycle_status, "in_use")
        tickets = self._ticket(equipment_id=printer.id) | self._ticket(equipment_id=printer.id)
        printer.invalidate_recordset()
        self.assertEqual(printer.helpdesk_ticket_count, 2)
        action = printer.action_view_helpdesk_tickets()
        self.assertEqual(self.env["helpdesk.ticket"].search(action["domain"]), tickets)

    def test_technician_capacity_defaults(self):
        self.assertEqual(self.technician.itims_max_active_tickets, 8)
        self.assertTrue(self.technician.itims_on_duty)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.technician.itims_max_active_tickets = -1

    def test_indexes(self):
        self.env.cr.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'helpdesk_ticket'")
        defs = [row[0] for row in self.env.cr.fetchall()]

        def indexed(pattern):
            return any(re.search(pattern, d) for d in defs)

        for column in (
            "number",
            "duplicate_id",
            "partner_id",
            "create_date",
            "closed_date",
            "itims_state",
            "requester_id",
            "office_id",
            "equipment_id",
        ):
            self.assertTrue(indexed(rf"\({column}\)"), f"helpdesk_ticket.{column} is not indexed")
        self.assertTrue(indexed(r"\(itims_state, create_date\)"))
        self.assertTrue(
            indexed(r"\(team_id, create_date, id\) WHERE .*user_id IS NULL"),
            "the FIFO queue index is missing",
        )
        self.env.cr.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'hr_employee'")
        self.assertTrue(any("(identification_id)" in row[0] for row in self.env.cr.fetchall()))
