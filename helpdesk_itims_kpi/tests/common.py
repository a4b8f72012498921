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

    @classmethod
    def _notification(cls, ticket, sent=None, opened=None, user=None, kind="new_ticket", **vals):
        """A Telegram message about ``ticket`` to ``user`` (else a group chat), sent
        and opened at the moments given (None: not sent / not opened)."""
        message = (
            cls.env["itims.telegram.message"]
            .sudo()
            .create(
                {
                    "chat_id": (user.telegram_chat_id or str(user.id)) if user else "-100123",
                    "user_id": user.id if user else False,
                    "ticket_id": ticket.id,
                    "kind": kind,
                    "text": "Nuevo ticket",
                }
            )
        )
        state = vals.pop("state", "sent" if sent else "queued")
        cls._set_times(message, state=state, sent_at=sent, opened_at=opened, **vals)
        return message

    @classmethod
    def _interaction(cls, outcome, when, company=None, **vals):
        """A question asked to the assistant at ``when`` with this ``outcome``."""
        return cls.env["itims.chatbot.interaction"].create(
            {
                "date": when,
                "outcome": outcome,
                "company_id": (company or cls.env.company).id,
                **vals,
            }
        )


APRIL = datetime.datetime(2026, 4, 6, 14, 0)  # a Monday, 09:00 in Lima


def april(minutes=0, seconds=0, days=0):
    return APRIL + datetime.timedelta(days=days, minutes=minutes, seconds=seconds)


class EventFixture(KpiCommon):
    """Tickets of the week 2026-04-06..12 with Telegram notifications (some tickets
    without any) and assistant interactions of every outcome, with known answers:

    ======  =======  ==========================================  ==========  =========
    ticket  created  notifications (sent -> opened)             responded   response
    ======  =======  ==========================================  ==========  =========
    P       +0       tech +2 -> +5; group +2; queued; edit +8    +9:20       7.33
    Q       +60      none                                        +76         16
    R       +120     failed (never sent); tech +123 -> +124;     +140        17
                     sla_risk +150
    S       +200     tech2 +203 -> +230                          never       -
    V       +300     tech +301; tech2 +301                       +320        19
    ======  =======  ==========================================  ==========  =========

    Sent notifications 7 (the queued, the failed and the edit are not), opened 3:
    42.86 %; response (7.33 + 16 + 17 + 19) / 4 = 14.83 min (from creation it
    would be 16.33). Assistant, in the week: 5 answered by a model, 2 from the FAQ,
    2 escalated, 1 error, 1 refused, 1 rate limited: 7 / 12 = 58.33 %."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tech, tech2 = cls.technician, cls.technician_2
        cls.team.user_ids = [(4, tech2.id)]
        event = cls._event_ticket
        cls.ticket_p = event(april(0), "in_progress", tech, responded=april(9, 20))
        cls.ticket_q = event(april(60), "in_progress", tech, responded=april(76))
        cls.ticket_r = event(april(120), "resolved", tech, responded=april(140), closed=april(200))
        cls.ticket_s = event(april(200), "registered", office=cls.office_2)
        cls.ticket_v = event(april(300), "in_progress", tech2, responded=april(320))
        note = cls._notification
        cls.notifications = (
            note(cls.ticket_p, april(2), april(5), user=tech)
            | note(cls.ticket_p, april(2))
            | note(cls.ticket_p, user=tech2)
            | note(cls.ticket_p, april(8), user=tech, kind="taken")
            | note(cls.ticket_r, user=tech, state="failed", kind="assigned")
            | note(cls.ticket_r, april(123), april(124), user=tech, kind="assigned")
            | note(cls.ticket_r, april(150), user=tech, kind="sla_risk")
            | note(cls.ticket_s, april(203), april(230), user=tech2)
            | note(cls.ticket_v, april(301), user=tech)
            | note(cls.ticket_v, april(301), user=tech2)
        )
        # the week before: neither its ticket nor its notification count
        before = event(april(0, days=-3), "in_progress", tech, responded=april(30, days=-3))
        note(before, april(1, days=-3), april(2, days=-3), user=tech)
        outcomes = ["answered_model"] * 5 + ["answered_faq"] * 2 + ["escalated"] * 2
        outcomes += ["error", "refused", "rate_limited"]
        for index, outcome in enumerate(outcomes):
            cls._interaction(
                outcome,
                april(37 * index),
                model_used="meta-llama/llama-3.3-8b-instruct:free"
                if outcome == "answered_model"
                else False,
                latency_ms=1000 + 100 * index,
            )
        cls._interaction("answered_model", april(0, days=-1))  # the day before
        cls._interaction("escalated", april(0, days=8))  # the week after
        cls._interaction("answered_faq", april(10), company=cls.company_b)
        cls.date_from, cls.date_to = "2026-04-06", "2026-04-12"

    def _summary(self, user=None, office_ids=None):
        kpi = self.kpi.with_user(user or self.manager)
        return kpi.summary(self.date_from, self.date_to, office_ids=office_ids)
