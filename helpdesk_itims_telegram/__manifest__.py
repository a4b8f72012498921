# Copyright 2026 ITIMS contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "ITIMS Telegram",
    "summary": "Technicians receive new tickets on Telegram and take them with one tap",
    "version": "18.0.1.0.0",
    "license": "AGPL-3",
    "category": "After-Sales",
    "author": "ITIMS contributors",
    "website": "https://github.com/itims/itims-odoo",
    "depends": ["helpdesk_itims", "base_automation"],
    "external_dependencies": {"python": ["python-telegram-bot"]},
    "data": [
        "security/ir.model.access.csv",
        "security/helpdesk_itims_telegram_security.xml",
        "data/ir_cron_data.xml",
        "data/telegram_templates.xml",
        "views/itims_telegram_message_views.xml",
        "views/res_config_settings_views.xml",
        "views/res_users_views.xml",
        "views/helpdesk_ticket_team_views.xml",
        "views/ir_actions_server_views.xml",
    ],
    "demo": [
        "demo/telegram_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "helpdesk_itims_telegram/static/tests/tours/*.js",
        ],
    },
    "development_status": "Alpha",
    "installable": True,
}
