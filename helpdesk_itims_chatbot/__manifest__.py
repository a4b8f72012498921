# Copyright 2026 ITIMS contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "ITIMS Chatbot",
    "summary": "FAQ assistant on the website (OpenRouter) with escalation to a ticket",
    "version": "18.0.1.0.0",
    "license": "AGPL-3",
    "category": "After-Sales",
    "author": "ITIMS contributors",
    "website": "https://github.com/itims/itims-odoo",
    "depends": ["helpdesk_itims"],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "security/ir.model.access.csv",
        "security/helpdesk_itims_chatbot_security.xml",
        "data/website_menu_data.xml",
        "views/itims_faq_views.xml",
        "views/itims_chatbot_interaction_views.xml",
        "views/res_config_settings_views.xml",
        "views/itims_faq_templates.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/itims_faq_demo.xml",
        "demo/itims_chatbot_interaction_demo.xml",
        "demo/website_front_door_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "helpdesk_itims_chatbot/static/src/js/chatbot_widget.esm.js",
            "helpdesk_itims_chatbot/static/src/scss/chatbot_widget.scss",
        ],
        "web.assets_tests": [
            "helpdesk_itims_chatbot/static/tests/tours/*.js",
        ],
    },
    "development_status": "Alpha",
    "installable": True,
}
