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
    ],
    "development_status": "Alpha",
    "installable": True,
}
