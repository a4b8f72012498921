import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

// A technician opens the FIFO queue, takes the oldest ticket, resolves it with the
// actions performed, and finds the repair in the equipment's maintenance history.
registry.category("web_tour.tours").add("itims_workspace_tour", {
    steps: () => [
        ...stepUtils.goToAppSteps(
            "helpdesk_mgmt.helpdesk_ticket_main_menu",
            "Open Helpdesk"
        ),
        {
            content: "Open the tickets menu",
            trigger:
                ".o_menu_sections [data-menu-xmlid='helpdesk_mgmt.helpdesk_ticket_menu']",
            run: "click",
        },
        {
            content: "Open the queue",
            trigger:
                ".dropdown-item[data-menu-xmlid='helpdesk_itims.helpdesk_ticket_queue_menu']",
            run: "click",
        },
        {
            content: "The oldest ticket comes first",
            trigger:
                ".o_list_view .o_data_row:first-child td[name='name']:contains('Oldest: printer jammed')",
        },
        {
            content: "Take it",
            trigger: ".o_list_view .o_data_row:first-child button[name='action_take']",
            run: "click",
        },
        {
            content: "It leaves the queue; the next one is now first",
            trigger:
                ".o_list_view .o_data_row:first-child td[name='name']:contains('Newer: mouse broken')",
        },
        {
            content: "Open my tickets",
            trigger:
                ".o_menu_sections [data-menu-xmlid='helpdesk_mgmt.helpdesk_ticket_menu']",
            run: "click",
        },
        {
            trigger:
                ".dropdown-item[data-menu-xmlid='helpdesk_mgmt.helpdesk_own_ticket_menu']",
            run: "click",
        },
        {
            content: "The taken ticket is among my tickets",
            trigger: ".o_kanban_record:contains('Oldest: printer jammed')",
            run: "click",
        },
        {
            content: "Resolve it",
            trigger:
                ".o_form_view .o_statusbar_buttons button[name='action_itims_resolve']",
            run: "click",
        },
        {
            content: "Describe the actions performed",
            trigger: ".modal div[name='resolution_notes'] textarea",
            run: "edit Replaced the fuser unit and printed a test page.",
        },
        {
            content: "Confirm",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The ticket is resolved: nothing left to resolve",
            trigger:
                ".o_form_view .o_form_statusbar:not(:has(button[name='action_itims_resolve'])):not(:has(button[name='action_itims_cancel']))",
        },
        {
            content: "The ticket now links to the maintenance record it left",
            trigger: ".o-form-buttonbox button[name='action_view_maintenance_request']",
        },
        {
            content: "Open the assets",
            trigger:
                ".o_menu_sections [data-menu-xmlid='helpdesk_itims.itims_inventory_menu']",
            run: "click",
        },
        {
            trigger:
                ".dropdown-item[data-menu-xmlid='helpdesk_itims.maintenance_equipment_menu']",
            run: "click",
        },
        {
            content: "Open the printer",
            trigger:
                ".o_list_view .o_data_row td[name='name']:contains('Tour printer')",
            run: "click",
        },
        {
            content: "Open its maintenance history",
            trigger:
                ".o_form_view .o_notebook a.nav-link[name='itims_maintenance_history']",
            run: "click",
        },
        {
            content: "The repair left by the ticket is there",
            trigger:
                ".o_form_view div[name='maintenance_ids'] .o_data_row:contains('Oldest: printer jammed')",
        },
    ],
});
