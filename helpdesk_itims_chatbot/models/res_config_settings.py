from odoo import api, fields, models

from .itims_chatbot import DEFAULT_BASE_URL, DEFAULT_MODELS, PARAM_KEY


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # write-only: the stored key is never read back into the form (nor the browser)
    itims_chatbot_api_key = fields.Char(
        string="Assistant API Key",
        groups="base.group_system",
        compute="_compute_itims_chatbot_api_key",
        inverse="_inverse_itims_chatbot_api_key",
        help="Leave empty to keep the current key.",
    )
    itims_chatbot_api_key_set = fields.Boolean(
        string="API Key Set", compute="_compute_itims_chatbot_api_key", groups="base.group_system"
    )
    itims_chatbot_api_key_clear = fields.Boolean(
        string="Remove the API Key", groups="base.group_system"
    )
    itims_chatbot_api_base_url = fields.Char(
        string="Assistant API Base URL",
        config_parameter="helpdesk_itims_chatbot.api_base_url",
        default=DEFAULT_BASE_URL,
        groups="base.group_system",
        help="OpenAI-compatible endpoint: OpenRouter, or an on-premise server "
        "(vLLM, llama.cpp server, Ollama) for data sovereignty.",
    )
    itims_chatbot_models = fields.Char(
        string="Assistant Models",
        config_parameter="helpdesk_itims_chatbot.models",
        default=DEFAULT_MODELS,
        groups="base.group_system",
        help="Comma separated, in priority order.",
    )
    itims_chatbot_rate_limit = fields.Char(
        string="Assistant Rate Limit",
        config_parameter="helpdesk_itims_chatbot.rate_limit",
        default="20/600",
        groups="base.group_system",
        help='Questions allowed per client and window, "attempts/seconds".',
    )
    itims_chatbot_id_patterns = fields.Char(
        string="Extra Identifier Patterns",
        config_parameter="helpdesk_itims_chatbot.id_patterns",
        groups="base.group_system",
        help="A regular expression of other identifiers the assistant must mask "
        "(e.g. a foreign resident card: CE-\\d{6}); use | between alternatives.",
    )

    @api.depends("company_id")
    def _compute_itims_chatbot_api_key(self):
        is_set = bool(self.env["ir.config_parameter"].sudo().get_param(PARAM_KEY))
        for settings in self:
            settings.itims_chatbot_api_key = False
            settings.itims_chatbot_api_key_set = is_set

    def _inverse_itims_chatbot_api_key(self):
        for settings in self:
            if settings.itims_chatbot_api_key:
                self.env["ir.config_parameter"].sudo().set_param(
                    PARAM_KEY, settings.itims_chatbot_api_key.strip()
                )

    def set_values(self):
        result = super().set_values()
        if self.itims_chatbot_api_key_clear and not self.itims_chatbot_api_key:
            self.env["ir.config_parameter"].sudo().set_param(PARAM_KEY, False)
        self.env["itims.chatbot"]._itims_sanitizer_changed()
        return result
