from odoo import fields, models

from odoo.addons.helpdesk_itims.models.itims_rate_limit import RATE_LIMITS

# The assistant's own scope, declared in the core's table of scopes (additive: the
# core reads its setting and parses it like the others): 20 questions per client
# and 10 minutes by default, setting helpdesk_itims_chatbot.rate_limit.
RATE_LIMITS.setdefault("chatbot", ("helpdesk_itims_chatbot.rate_limit", "20/600"))


class ItimsRateLimit(models.Model):
    _inherit = "itims.rate.limit"

    scope = fields.Selection(
        selection_add=[("chatbot", "Assistant Question")], ondelete={"chatbot": "cascade"}
    )
