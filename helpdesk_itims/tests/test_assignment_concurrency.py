"""The assignment engine and Take under real concurrent transactions.

A TransactionCase cannot prove anything here: all its code runs in one test cursor
behind a lock. These tests open one real database connection per thread
(``registry.cursor()`` outside of test mode), start the threads together with a
barrier and let every transaction commit through ``odoo.service.model.retrying``,
the replay-on-serialization-failure that Odoo applies to every RPC and HTTP
request. Everything they commit is deleted again in a cleanup.
"""

import uuid
from collections import Counter

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, get_db_name, new_test_user, tagged
from odoo.tools import SQL

from .common import run_together

CONTEXT = {"mail_create_nolog": True, "no_reset_password": True}


@tagged("post_install", "-at_install")
class TestAssignmentConcurrency(BaseCase):
    technician_count = 5
    cap = 3

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        if cls.registry.in_test_mode():
            raise RuntimeError("these tests need real connections, not the test cursor")

    def setUp(self):
        super().setUp()
        self.tag = uuid.uuid4().hex[:8]
        self.attempts = Counter()
        self.addCleanup(self._delete_committed_records)
        self.user_ids, self.team_id = self._in_transaction(self._create_team)

    # ------------------------------------------------------------------ helpers

    def _in_transaction(self, func, name=None):
        """Run ``func(env)`` in a new connection as a request does: replayed on a
        serialization failure, then committed."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, dict(CONTEXT))

            def attempt():
                self.attempts[name] += 1
                return func(env)

            return retrying(attempt, env)

    def _create_team(self, env):
        users = env["res.users"]
        for index in range(self.technician_count):
            users |= new_test_user(
                env,
                login=f"itims_conc_{self.tag}_{index}",
                groups="helpdesk_itims.group_itims_technician",
                itims_max_active_tickets=self.cap,
            )
        team = env["helpdesk.ticket.team"].create(
            {
                "name": f"Concurrency {self.tag}",
                "itims_assignment_method": "balanced",
                "user_ids": [(6, 0, users.ids)],
            }
        )
        return users.ids, team.id

    def _create_ticket(self, env, name):
        ticket = env["helpdesk.ticket"].create(
            {"name": name, "description": "<p>Concurrent</p>", "team_id": self.team_id}
        )
        return ticket.id

    def _delete_committed_records(self):
        if not getattr(self, "team_id", None):
            return

        def delete(env):
            env = env(context=dict(env.context, itims_skip_assignment=True, active_test=False))
            env["helpdesk.ticket"].search([("team_id", "=", self.team_id)]).unlink()
            env["helpdesk.ticket.team"].browse(self.team_id).unlink()
            users = env["res.users"].browse(self.user_ids)
            partners = users.partner_id
            users.unlink()
            partners.unlink()

        self._in_transaction(delete)

    def _state(self, env):
        tickets = env["helpdesk.ticket"].search([("team_id", "=", self.team_id)])
        notes = env["mail.message"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "in", tickets.ids),
                ("body", "ilike", "Assigned automatically"),
            ]
        )
        return {
            "tickets": len(tickets),
            "loads": dict(Counter(t.user_id.id for t in tickets if t.user_id)),
            "in_progress_unassigned": len(
                tickets.filtered(lambda t: t.itims_state == "in_progress" and not t.user_id)
            ),
            "registered_assigned": len(
                tickets.filtered(lambda t: t.itims_state == "registered" and t.user_id)
            ),
            "queued": len(tickets.filtered(lambda t: not t.user_id)),
            "notes_per_ticket": Counter(notes.mapped("res_id")),
        }

    # ------------------------------------------------------------------ tests

    def test_concurrent_creations_respect_caps_and_assign_once(self):
        threads, per_thread = 8, 5  # 40 tickets for 5 technicians x cap 3

        def creator(thread):
            def job():
                for index in range(per_thread):
                    name = f"T{thread}-{index}"
                    self._in_transaction(lambda env, n=name: self._create_ticket(env, n), name)

            return job

        errors = [
            r
            for r in run_together(
                [creator(t) for t in range(threads)], timeout=180, hung="a transaction hung"
            )
            if r
        ]
        self.assertFalse(errors, errors)
        state = self._in_transaction(self._state)
        self.assertEqual(state["tickets"], threads * per_thread)
        self.assertEqual(
            state["loads"],
            dict.fromkeys(self.user_ids, self.cap),
            "every technician filled exactly to the cap, nobody over it",
        )
        self.assertEqual(state["queued"], threads * per_thread - self.technician_count * self.cap)
        self.assertFalse(state["in_progress_unassigned"] or state["registered_assigned"])
        self.assertEqual(len(state["notes_per_ticket"]), self.technician_count * self.cap)
        self.assertEqual(set(state["notes_per_ticket"].values()), {1}, "assigned once each")
        # the engine never fails a creation: a conflict defers the dispatch to the cron
        # instead of replaying the request (the old count of replays also counted the
        # setUp's own attempt, so it could not fail)
        creations = {name: count for name, count in self.attempts.items() if name}
        self.assertEqual(len(creations), threads * per_thread)
        self.assertEqual(set(creations.values()), {1}, "no creation was replayed")

    def test_concurrent_takes_exactly_one_wins(self):
        def make_queue(env):
            env["helpdesk.ticket.team"].browse(self.team_id).itims_assignment_method = "manual"
            # room for every ticket: a loser must lose to the other taker, not to
            # their own cap after winning the earlier races
            env["res.users"].browse(self.user_ids[:3]).itims_max_active_tickets = 10
            return [self._create_ticket(env, f"Race {index}") for index in range(4)]

        ticket_ids = self._in_transaction(make_queue)
        takers = self.user_ids[:3]
        for ticket_id in ticket_ids:

            def take(user_id, ticket_id=ticket_id):
                def job(env):
                    ticket = env["helpdesk.ticket"].browse(ticket_id)
                    return ticket.with_user(user_id).action_take()

                return lambda: self._in_transaction(job, (ticket_id, user_id))

            results = run_together(
                [take(user_id) for user_id in takers], timeout=180, hung="a transaction hung"
            )
            winners = [r for r in results if r is True]
            losers = [r for r in results if isinstance(r, UserError)]
            self.assertEqual(len(winners), 1, results)
            self.assertEqual(len(losers), len(takers) - 1, results)
            for loser in losers:
                self.assertIn("was already taken by", str(loser))

            def check(env, ticket_id=ticket_id):
                ticket = env["helpdesk.ticket"].browse(ticket_id)
                return ticket.user_id.id, ticket.itims_state, bool(ticket.first_response_date)

            user_id, state, responded = self._in_transaction(check)
            self.assertIn(user_id, takers)
            self.assertEqual((state, responded), ("in_progress", True))

    def test_conflict_on_the_chosen_technician_defers_to_the_cron(self):
        """A creation whose dispatch meets technicians held or changed by another
        transaction is not replayed: it commits with its ticket queued and triggers
        the dispatch cron, which then assigns the ticket."""
        user_ids = tuple(self.user_ids)

        def triggers(env):
            cron = env.ref("helpdesk_itims.ir_cron_itims_dispatch")
            return env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]).ids

        known = set(self._in_transaction(triggers))
        self.addCleanup(
            self._in_transaction,
            lambda env: env["ir.cron.trigger"].browse(set(triggers(env)) - known).unlink(),
        )
        # 1. another transaction holds every technician's row (and stays open)
        with self.registry.cursor() as holder:
            lock = "SELECT id FROM res_users WHERE id IN %s FOR NO KEY UPDATE"
            holder.execute(SQL(lock, user_ids))
            held = self._in_transaction(lambda env: self._create_ticket(env, "Held"), "held")
            holder.rollback()
        # 2. another transaction changed every technician after the creation began
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, dict(CONTEXT))
            cr.execute("SELECT 1")  # the snapshot of the creation is taken here
            with self.registry.cursor() as other:
                bump = "UPDATE res_users SET itims_dispatch_version = 0 WHERE id IN %s"
                other.execute(SQL(bump, user_ids))
            changed = self._create_ticket(env, "Changed")
        self.assertEqual(self.attempts["held"], 1, "the creation was not replayed")

        def holders(env):
            tickets = env["helpdesk.ticket"].browse([held, changed])
            return tickets.mapped("user_id").ids, set(tickets.mapped("itims_state"))

        self.assertEqual(self._in_transaction(holders), ([], {"registered"}))
        self.assertTrue(set(self._in_transaction(triggers)) - known, "the cron was triggered")
        # what the cron runs, on this test's team only: the committed run must not
        # touch the rest of the database (the demo's queue)
        self._in_transaction(
            lambda env: env["itims.assignment"]._serve(
                env["helpdesk.ticket.team"].browse(self.team_id), inline=False
            )
        )
        assignees, states = self._in_transaction(holders)
        self.assertEqual((len(assignees), states), (2, {"in_progress"}))
