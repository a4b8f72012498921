import datetime
import random

from odoo.tests import tagged
from odoo.tools import SQL

from .common import KpiCommon, at

TICKETS = 1000


@tagged("post_install", "-at_install")
class TestKpiVolume(KpiCommon):
    """1,000 tickets with random events: the pivot's totals, summary() and SQL
    written by hand from the raw tables agree."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        rng = random.Random(16)
        env = cls.env
        stages = [cls.stage_registered, cls.stage_in_progress, cls.stage_resolved]
        stages += [cls.stage_cancelled]
        vals, plan = [], []
        for index in range(TICKETS):
            state = rng.choices(range(4), weights=(5, 10, 80, 5))[0]
            office = cls.office if rng.random() < 0.7 else cls.office_2
            vals.append(
                {
                    "name": f"Incidente {index}",
                    "description": "<p>Falla.</p>",
                    "team_id": cls.team.id,
                    "office_id": office.id,
                    "stage_id": stages[state].id,
                    "user_id": cls.technician.id if state else False,
                    "resolution_notes": "Atendido." if state >= 2 else False,
                }
            )
            created = rng.randint(0, 60 * 24 * 27)
            plan.append((created, state))
        cls.tickets = env["helpdesk.ticket"].create(vals)
        env.flush_all()
        rows = []
        for ticket, (created, state) in zip(cls.tickets, plan, strict=True):
            responded = created + rng.randint(1, 90) if state else None
            closed = responded + rng.randint(5, 600) if state >= 2 else None
            rows.append(
                SQL(
                    "(%s, %s::timestamp, %s::timestamp, %s::timestamp)",
                    ticket.id,
                    at(created),
                    at(responded) if responded is not None else None,
                    at(closed) if closed is not None else None,
                )
            )
        env.cr.execute(
            SQL(
                """UPDATE helpdesk_ticket t
                      SET create_date = v.c, first_response_date = v.r, closed_date = v.x
                     FROM (VALUES %s) AS v(id, c, r, x) WHERE t.id = v.id""",
                SQL(", ").join(rows),
            )
        )
        # two tickets in three are notified on Telegram a few seconds after their
        # creation (a second notification to another chat for some), part opened
        Message = env["itims.telegram.message"].sudo()
        notes, moments = [], []
        for ticket, (created, _state) in zip(cls.tickets, plan, strict=True):
            if rng.random() < 1 / 3:
                continue
            for chat in ("777000111", "-100123")[: rng.randint(1, 2)]:
                sent = at(created) + datetime.timedelta(seconds=rng.randint(2, 50))
                opened = sent + datetime.timedelta(minutes=rng.randint(0, 120))
                notes.append({"chat_id": chat, "ticket_id": ticket.id, "kind": "new_ticket"})
                moments.append((sent, opened if rng.random() < 0.9 else None))
        messages = Message.create(notes)
        env.flush_all()
        env.cr.execute(
            SQL(
                """UPDATE itims_telegram_message m
                      SET state = 'sent', sent_at = v.s, opened_at = v.o
                     FROM (VALUES %s) AS v(id, s, o) WHERE m.id = v.id""",
                SQL(", ").join(
                    SQL("(%s, %s::timestamp, %s::timestamp)", message.id, sent, opened)
                    for message, (sent, opened) in zip(messages, moments, strict=True)
                ),
            )
        )
        cls.notified = messages.ticket_id
        resolved = cls.tickets.filtered(lambda t: t.stage_id == cls.stage_resolved)
        for ticket in resolved[::3]:
            cls._rate(ticket, rng.randint(1, 5), at(60 * 24 * 28))
        for ticket in resolved[::2]:
            cls._sla_line(ticket, rng.choice(("accomplished", "accomplished", "expired")))
        env.invalidate_all()

    def test_pivot_equals_summary_equals_sql(self):
        date_from, date_to = "2026-03-02", "2026-03-31"
        summary = self.kpi.with_user(self.manager).summary(date_from, date_to)
        pivot = (
            self.env["itims.ticket.analysis"]
            .with_user(self.manager)
            .read_group(
                [
                    ("create_date", ">=", "2026-03-02 00:00:00"),
                    ("create_date", "<", "2026-04-01 00:00:00"),
                ],
                [
                    "ticket_count:sum",
                    "resolved_count:sum",
                    "cancelled_count:sum",
                    "resolution_minutes:avg",
                    "response_minutes:avg",
                    "rating:avg",
                    "rated_count:sum",
                    "sla_count:sum",
                    "sla_met_count:sum",
                ],
                [],
            )[0]
        )
        # by hand, from the raw tables (stages rather than the stored state)
        self.env.cr.execute(
            SQL(
                """
                SELECT COUNT(*),
                       COUNT(*) FILTER (WHERE s.id = %(done)s),
                       COUNT(*) FILTER (WHERE s.id = %(cancel)s),
                       AVG(EXTRACT(EPOCH FROM t.closed_date - t.create_date) / 60)
                           FILTER (WHERE s.id = %(done)s),
                       AVG(EXTRACT(EPOCH FROM t.first_response_date
                                   - COALESCE(n.first_sent, t.create_date)) / 60),
                       (SELECT AVG(r.rating) FROM rating_rating r
                         WHERE r.res_model = 'helpdesk.ticket' AND r.res_id = ANY(%(ids)s)
                           AND r.consumed AND r.rating > 0),
                       (SELECT COUNT(DISTINCT l.ticket_id) FROM helpdesk_ticket_sla l
                         WHERE l.ticket_id = ANY(%(ids)s)),
                       (SELECT COUNT(DISTINCT l.ticket_id) FROM helpdesk_ticket_sla l
                         WHERE l.ticket_id = ANY(%(ids)s) AND l.state = 'accomplished')
                  FROM helpdesk_ticket t JOIN helpdesk_ticket_stage s ON s.id = t.stage_id
                  LEFT JOIN (SELECT ticket_id, MIN(sent_at) AS first_sent
                               FROM itims_telegram_message
                              WHERE sent_at IS NOT NULL GROUP BY ticket_id) n
                         ON n.ticket_id = t.id
                 WHERE t.id = ANY(%(ids)s)
                """,
                done=self.stage_resolved.id,
                cancel=self.stage_cancelled.id,
                ids=self.tickets.ids,
            )
        )
        total, resolved, cancelled, resolution, response, rating, sla, met = self.env.cr.fetchone()
        self.env.cr.execute(
            SQL(
                """SELECT COUNT(*), COUNT(opened_at) FROM itims_telegram_message
                    WHERE ticket_id = ANY(%s) AND sent_at IS NOT NULL""",
                self.tickets.ids,
            )
        )
        sent, opened = self.env.cr.fetchone()
        notes = (
            self.env["itims.notification.analysis"]
            .with_user(self.manager)
            .read_group(
                [
                    ("ticket_create_date", ">=", "2026-03-02 00:00:00"),
                    ("ticket_create_date", "<", "2026-04-01 00:00:00"),
                ],
                ["sent_count:sum", "opened_count:sum"],
                [],
            )[0]
        )
        self.assertTrue(500 < len(self.notified) < TICKETS)  # some tickets without any
        self.assertEqual(summary["notifications_sent"], sent)
        self.assertEqual(notes["sent_count"], sent)
        self.assertEqual(summary["notifications_opened"], opened)
        self.assertEqual(notes["opened_count"], opened)
        self.assertEqual(summary["notification_open_rate"], round(100 * opened / sent, 2))
        self.assertEqual(total, TICKETS)
        self.assertEqual(summary["tickets"], total)
        self.assertEqual(pivot["ticket_count"], total)
        self.assertEqual(summary["resolved_tickets"], resolved)
        self.assertEqual(pivot["resolved_count"], resolved)
        self.assertEqual(summary["cancelled_tickets"], cancelled)
        self.assertEqual(pivot["cancelled_count"], cancelled)
        self.assertEqual(summary["resolution_rate"], round(100 * resolved / total, 2))
        self.assertEqual(summary["avg_resolution_minutes"], round(float(resolution), 2))
        self.assertAlmostEqual(pivot["resolution_minutes"], float(resolution), 6)
        self.assertEqual(summary["avg_response_minutes"], round(float(response), 2))
        self.assertAlmostEqual(pivot["response_minutes"], float(response), 6)
        self.assertEqual(summary["satisfaction_pct"], round(float(rating) / 5 * 100, 2))
        self.assertAlmostEqual(pivot["rating"], float(rating), 6)
        self.assertEqual(summary["sla_tickets"], sla)
        self.assertEqual(pivot["sla_count"], sla)
        self.assertEqual(summary["sla_met_tickets"], met)
        self.assertEqual(pivot["sla_met_count"], met)
        self.assertEqual(summary["sla_compliance"], round(100 * met / sla, 2))
