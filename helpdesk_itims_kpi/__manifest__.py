# Copyright 2026 ITIMS contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "ITIMS KPIs",
    "summary": "Service KPIs of the IT-incident desk in pivot and graph views",
    "version": "18.0.1.0.0",
    "license": "AGPL-3",
    "category": "After-Sales",
    "author": "ITIMS contributors",
    "website": "https://github.com/itims/itims-odoo",
    "depends": [
        "helpdesk_itims_telegram",
        "helpdesk_itims_chatbot",
        "helpdesk_mgmt_sla",
        "helpdesk_mgmt_rating",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/helpdesk_itims_kpi_security.xml",
        "data/mail_activity_type_data.xml",
        "data/helpdesk_sla_data.xml",
        "data/ir_cron_data.xml",
        "views/itims_ticket_analysis_views.xml",
        "views/itims_technician_workload_views.xml",
        "views/itims_asset_failure_views.xml",
        "views/itims_notification_analysis_views.xml",
        "views/itims_assistant_analysis_views.xml",
        "views/itims_kpi_dashboard_views.xml",
        "views/itims_performance_report_wizard_views.xml",
        "report/technician_performance_report.xml",
        "views/menus.xml",
        "views/rating_templates.xml",
    ],
    "demo": [
        "demo/helpdesk_sla_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "helpdesk_itims_kpi/static/src/dashboard/*",
        ],
        "web.assets_tests": [
            "helpdesk_itims_kpi/static/tests/tours/*.js",
        ],
    },
    "development_status": "Alpha",
    "installable": True,
}
