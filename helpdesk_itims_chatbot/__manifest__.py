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
    ],
    "development_status": "Alpha",
    "installable": True,
}
