import {registry} from "@web/core/registry";

// The helpdesk's ticket kanban shows the four ITIMS stages as its columns (in Spanish).
registry.category("web_tour.tours").add("itims_backend_stages_tour", {
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the Helpdesk app",
            trigger:
                ".o_app[data-menu-xmlid='helpdesk_mgmt.helpdesk_ticket_main_menu']",
            run: "click",
        },
        {
            content: "Open all tickets",
            trigger:
                ".o_menu_sections [data-menu-xmlid='helpdesk_mgmt.helpdesk_ticket_menu']",
            run: "click",
        },
        {
            trigger:
                ".dropdown-item[data-menu-xmlid='helpdesk_mgmt.helpdesk_all_ticket_menu']",
            run: "click",
        },
        {
            content: "Switch to the kanban view",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "Registered column",
            trigger: ".o_kanban_group .o_column_title:contains('Registrado')",
        },
        {
            content: "In Progress column",
            trigger: ".o_kanban_group .o_column_title:contains('En proceso')",
        },
        {
            content: "Resolved column",
            trigger: ".o_kanban_group .o_column_title:contains('Resuelto')",
        },
        {
            content: "Cancelled column",
            trigger: ".o_kanban_group .o_column_title:contains('Cancelado')",
        },
    ],
});
