import datetime

from odoo.tools import SQL

from odoo.addons.helpdesk_itims.tests.common import ItimsCommon

T0 = datetime.datetime(2026, 3, 2, 14, 0)  # a Monday, 09:00 in Lima


def at(minutes=0, days=0):
    """A moment relative to T0 (naive UTC, as stored)."""
    return T0 + datetime.timedelta(days=days, minutes=minutes)


class KpiCommon(ItimsCommon):
    """Tickets whose events happen at moments the test chooses."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kpi = cls.env["itims.kpi"].with_context(tz="UTC")
        cls.office_2 = cls.env["hr.department"].create(
            {"name": "Oficina de Abastecimiento", "itims_office_code": "ABA-T"}
        )

    @classmethod
    def _event_ticket(
        cls,
        created,
        state="registered",
        user=None,
        assigned=None,
        responded=None,
        closed=None,
        office=None,
        team=None,
    ):
        stage = {
            "registered": cls.stage_registered,
            "in_progress": cls.stage_in_progress,
            "resolved": cls.stage_resolved,
            "cancelled": cls.stage_cancelled,
        }[state]
        ticket = cls._ticket(
            team=team,
            stage_id=stage.id,
            user_id=user.id if user else False,
            office_id=(office or cls.office).id,
            resolution_notes="Se reinició el equipo."
            if state in ("resolved", "cancelled")
            else False,
        )
        cls._set_times(
            ticket,
            create_date=created,
            assigned_date=assigned,
            first_response_date=responded,
            closed_date=closed,
        )
        return ticket

    @classmethod
    def _set_times(cls, record, **columns):
        """Write timestamp columns in SQL: create_date is a magic column."""
        cls.env.flush_all()
        cls.env.cr.execute(
            SQL(
                "UPDATE %s SET %s WHERE id = %s",
                SQL.identifier(record._table),
                SQL(", ").join(
                    SQL("%s = %s", SQL.identifier(name), value) for name, value in columns.items()
                ),
                record.id,
            )
        )
        record.invalidate_recordset()

    @classmethod
    def _rate(cls, ticket, rating, when):
        record = cls.env["rating.rating"].create(
            {
                "res_model_id": cls.env["ir.model"]._get_id("helpdesk.ticket"),
                "res_id": ticket.id,
                "rating": rating,
                "consumed": True,
            }
        )
        cls._set_times(record, create_date=when, write_date=when)
        return record

    @classmethod
    def _sla_line(cls, ticket, state):
        sla = cls.env["helpdesk.sla"].search([("name", "=", "KPI test SLA")], limit=1)
        if not sla:
            sla = cls.env["helpdesk.sla"].create({"name": "KPI test SLA", "hours": 4})
        line = cls.env["helpdesk.ticket.sla"].create({"ticket_id": ticket.id, "sla_id": sla.id})
        cls.env.flush_all()
        cls.env.cr.execute(
            SQL("UPDATE helpdesk_ticket_sla SET state = %s WHERE id = %s", state, line.id)
        )
        line.invalidate_recordset()
        return line
