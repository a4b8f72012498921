"""Which chat models rest after a failure, shared by every worker.

One row per model name. A failure writes the row in a cursor of its own that
commits at once (the question's own transaction may roll back), so the next
question, in any worker, skips the model until ``cooldown_until``. The rows are
also what an administrator reads to see that the assistant has trouble.
"""

from datetime import timedelta

from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import api, fields, models
from odoo.tools import SQL


class ItimsChatbotModelState(models.Model):
    _name = "itims.chatbot.model.state"
    _description = "Chat Model Status"
    _order = "last_failure desc, id desc"
    _log_access = False

    name = fields.Char(string="Model", required=True, readonly=True)
    cooldown_until = fields.Datetime(readonly=True, index=True)
    last_failure = fields.Datetime(readonly=True)
    last_problem = fields.Char(readonly=True)
    failure_count = fields.Integer(readonly=True)
    is_cooling = fields.Boolean(compute="_compute_is_cooling")

    _sql_constraints = [("name_uniq", "UNIQUE(name)", "One row per model.")]

    def _compute_is_cooling(self):
        now = fields.Datetime.now()
        for state in self:
            state.is_cooling = bool(state.cooldown_until and state.cooldown_until > now)

    @api.model
    def _cooling_models(self, names):
        """The names among ``names`` that rest now."""
        if not names:
            return set()
        self.env.cr.execute(
            SQL(
                "SELECT name FROM itims_chatbot_model_state "
                "WHERE name IN %s AND cooldown_until > %s",
                tuple(names),
                fields.Datetime.now(),
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _cool_down(self, name, seconds, problem):
        """Make ``name`` rest for ``seconds``, committed at once."""
        now = fields.Datetime.now()
        until = now + timedelta(seconds=seconds)
        registry = self.env.registry
        with registry.cursor() as cr:
            if not registry.in_test_mode():
                cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
            cr.execute(
                SQL(
                    """
                    INSERT INTO itims_chatbot_model_state
                           (name, cooldown_until, last_failure, last_problem, failure_count)
                    VALUES (%(name)s, %(until)s, %(now)s, %(problem)s, 1)
                    ON CONFLICT (name) DO UPDATE
                       SET cooldown_until = GREATEST(itims_chatbot_model_state.cooldown_until,
                                                     EXCLUDED.cooldown_until),
                           last_failure = EXCLUDED.last_failure,
                           last_problem = EXCLUDED.last_problem,
                           failure_count = itims_chatbot_model_state.failure_count + 1
                    """,
                    name=name[:128],
                    until=until,
                    now=now,
                    problem=(problem or "")[:128],
                )
            )

    def action_reset(self):
        self.write({"cooldown_until": False})
