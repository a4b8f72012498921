# Copyright 2026 ITIMS contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.itims_kpi import CHATBOT_ANSWERED


def _outcomes(model):
    return model.env["itims.chatbot.interaction"]._fields["outcome"].selection


class ItimsAssistantAnalysis(models.Model):
    """One row per question asked to the FAQ assistant (metrics only: the
    interactions store no text and no requester, so no office): a SQL view read by
    the pivot and graph views. Its answered and interaction counts are those of
    itims.kpi.summary()'s chatbot_answer_rate over the same period."""

    _name = "itims.assistant.analysis"
    _description = "Assistant Analysis"
    _auto = False
    _rec_name = "date"
    _order = "date desc, id desc"

    interaction_id = fields.Many2one(comodel_name="itims.chatbot.interaction", readonly=True)
    date = fields.Datetime(readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    outcome = fields.Selection(selection=_outcomes, readonly=True)
    model_used = fields.Char(readonly=True)
    category_id = fields.Many2one(comodel_name="helpdesk.ticket.category", readonly=True)
    best_faq_id = fields.Many2one(comodel_name="itims.faq", string="Best FAQ Match", readonly=True)
    interaction_count = fields.Integer(string="Interactions", readonly=True)
    answered_count = fields.Integer(string="Answered", readonly=True)
    model_count = fields.Integer(string="Answered by a Model", readonly=True)
    faq_count = fields.Integer(string="Answered from the FAQ", readonly=True)
    escalated_count = fields.Integer(string="Escalated", readonly=True)
    error_count = fields.Integer(string="Errors", readonly=True)
    answer_rate = fields.Float(
        string="Answer Rate (%)",
        aggregator="avg",
        readonly=True,
        help="Interactions answered by a model or by the FAQ / all interactions.",
    )
    latency_ms = fields.Float(string="Latency (ms)", aggregator="avg", readonly=True)

    def _query(self):
        return SQL(
            """
            SELECT i.id AS id,
                   i.id AS interaction_id,
                   i.date AS date,
                   i.company_id AS company_id,
                   i.outcome AS outcome,
                   i.model_used AS model_used,
                   i.category_id AS category_id,
                   i.best_faq_id AS best_faq_id,
                   1 AS interaction_count,
                   CASE WHEN i.outcome IN %(answered)s THEN 1 ELSE 0 END AS answered_count,
                   CASE WHEN i.outcome = 'answered_model' THEN 1 ELSE 0 END AS model_count,
                   CASE WHEN i.outcome = 'answered_faq' THEN 1 ELSE 0 END AS faq_count,
                   CASE WHEN i.outcome = 'escalated' THEN 1 ELSE 0 END AS escalated_count,
                   CASE WHEN i.outcome = 'error' THEN 1 ELSE 0 END AS error_count,
                   CASE WHEN i.outcome IN %(answered)s THEN 100.0 ELSE 0.0 END AS answer_rate,
                   NULLIF(i.latency_ms, 0) AS latency_ms
              FROM %(interactions)s i
            """,
            answered=CHATBOT_ANSWERED,
            interactions=SQL.identifier(self.env["itims.chatbot.interaction"]._table),
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
