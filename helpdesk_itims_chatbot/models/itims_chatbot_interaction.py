"""One row per question asked to the assistant: metrics only, never text."""

from odoo import api, fields, models

OUTCOMES = [
    ("answered_model", "Answered by a model"),
    ("answered_faq", "Answered from the FAQ"),
    ("escalated", "Escalated to a ticket"),
    ("refused", "Refused (invalid input)"),
    ("error", "Error"),
    ("rate_limited", "Rate limited"),
]
ANSWERED = ("answered_model", "answered_faq")


class ItimsChatbotInteraction(models.Model):
    _name = "itims.chatbot.interaction"
    _description = "Assistant Interaction"
    _order = "date desc, id desc"
    _rec_name = "date"

    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True, readonly=True)
    outcome = fields.Selection(OUTCOMES, required=True, index=True, readonly=True)
    is_answered = fields.Boolean(
        string="Answered", compute="_compute_is_answered", store=True, readonly=True
    )
    model_used = fields.Char(readonly=True)
    latency_ms = fields.Integer(string="Latency (ms)", readonly=True, aggregator="avg")
    prompt_tokens = fields.Integer(readonly=True)
    completion_tokens = fields.Integer(readonly=True)
    attempt_count = fields.Integer(
        string="Model Attempts", readonly=True, help="Models asked before one answered."
    )
    faq_ids = fields.Many2many(
        "itims.faq", string="Matched FAQs", readonly=True, help="Best matches, best first."
    )
    best_faq_id = fields.Many2one(
        "itims.faq", string="Best FAQ Match", readonly=True, ondelete="set null", index=True
    )
    category_id = fields.Many2one(
        "helpdesk.ticket.category", readonly=True, ondelete="set null", index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    interaction_count = fields.Integer(string="Interactions", default=1, readonly=True)

    @api.depends("outcome")
    def _compute_is_answered(self):
        for interaction in self:
            interaction.is_answered = interaction.outcome in ANSWERED

    @api.model
    def _itims_demo_history(self, days=90, seed=15):
        """Demo data: a realistic history of questions (metrics only), about 85 %
        answered as the ITIMS paper measured. Deterministic (fixed seed)."""
        import random
        from datetime import timedelta

        rng = random.Random(seed)
        faqs = self.env["itims.faq"].search([("is_published", "=", True)])
        models_list = [
            "meta-llama/llama-3.3-8b-instruct:free",
            "google/gemini-2.0-flash-exp:free",
            "mistralai/mistral-small-3.1:free",
        ]
        now = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
        vals_list = []
        for day in range(days, 0, -1):
            date = now - timedelta(days=day)
            if date.weekday() >= 5:
                continue
            for _ in range(rng.randint(2, 8)):
                # office hours in Lima (UTC-5, no daylight saving), lunch break aside
                lima_hour = rng.choice([8, 9, 10, 11, 12, 14, 15, 16])
                when = date.replace(hour=lima_hour + 5, minute=rng.randint(0, 59))
                draw = rng.random()
                faq = rng.choice(faqs) if faqs and rng.random() < 0.9 else self.env["itims.faq"]
                if draw < 0.70:
                    outcome = "answered_model"
                elif draw < 0.85:
                    outcome = "answered_faq"
                elif draw < 0.95:
                    outcome = "escalated"
                elif draw < 0.98:
                    outcome = "error"
                else:
                    outcome = "rate_limited"
                vals = {
                    "date": when,
                    "outcome": outcome,
                    "best_faq_id": faq.id,
                    "faq_ids": [(6, 0, faq.ids)],
                    "category_id": faq.category_id.id,
                    "latency_ms": rng.randint(40, 400),
                }
                if outcome == "answered_model":
                    vals.update(
                        model_used=rng.choices(models_list, weights=[6, 3, 1])[0],
                        latency_ms=rng.randint(1200, 7800),
                        prompt_tokens=rng.randint(350, 900),
                        completion_tokens=rng.randint(60, 260),
                        attempt_count=rng.choices([1, 2, 3], weights=[8, 2, 1])[0],
                    )
                elif outcome == "rate_limited":
                    vals.update(best_faq_id=False, faq_ids=[], category_id=False, latency_ms=5)
                vals_list.append(vals)
        return self.create(vals_list)
