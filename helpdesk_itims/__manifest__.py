# Copyright 2026 ITIMS contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "ITIMS Helpdesk",
    "summary": "IT-incident desk for public institutions: offices, requesters by "
    "national ID, technicians with capacity, assets, ITIMS states",
    "version": "18.0.1.0.0",
    "license": "AGPL-3",
    "category": "After-Sales",
    "author": "ITIMS contributors",
    "website": "https://github.com/itims/itims-odoo",
    "depends": [
        "helpdesk_mgmt",
        "helpdesk_mgmt_rating",
        "hr",
        "hr_maintenance",
        "maintenance_helpdesk_mgmt",
        "website",
    ],
    "data": [
        "security/helpdesk_itims_security.xml",
        "security/ir.model.access.csv",
        "data/helpdesk_ticket_stage_data.xml",
        "data/ir_sequence_data.xml",
        "data/helpdesk_ticket_category_data.xml",
        "wizards/helpdesk_ticket_reopen_wizard_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/helpdesk_ticket_stage_views.xml",
        "views/helpdesk_ticket_team_views.xml",
        "views/hr_department_views.xml",
        "views/hr_employee_views.xml",
        "views/res_users_views.xml",
        "views/maintenance_equipment_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/helpdesk_ticket_close_wizard_views.xml",
        "data/mail_template_data.xml",
        "data/website_menu_data.xml",
        "views/helpdesk_ticket_templates.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/helpdesk_ticket_category_demo.xml",
        "demo/hr_department_demo.xml",
        "demo/res_users_demo.xml",
        "demo/hr_employee_demo.xml",
        "demo/helpdesk_ticket_team_demo.xml",
        "demo/maintenance_equipment_demo.xml",
        "demo/helpdesk_ticket_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "helpdesk_itims/static/src/js/intake_form.esm.js",
        ],
        "web.assets_backend": [
            "helpdesk_itims/static/src/views/**/*",
        ],
        "web.assets_tests": [
            "helpdesk_itims/static/tests/tours/*.js",
        ],
    },
    "uninstall_hook": "uninstall_hook",
    "development_status": "Alpha",
    "installable": True,
}
