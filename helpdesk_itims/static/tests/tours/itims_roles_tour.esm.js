import {registry} from "@web/core/registry";

// Each demo role, as it logs in (the tests run them at desk and phone widths).
const tours = registry.category("web_tour.tours");

// A technician lands on their tickets, opens the queue, sees how long each ticket
// has waited (days and hours, not "52:05") and takes the oldest.
tours.add("itims_role_technician_tour", {
    steps: () => [
        {
            content: "A technician lands on their own tickets",
            trigger: ".o_breadcrumb:contains('Mis tickets')",
        },
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
            content: "Waiting times read in days and hours",
            trigger:
                ".o_list_view .o_data_row:first-child .o_itims_duration:contains('2 d 12 h')",
        },
        {
            content: "Take the oldest ticket",
            trigger: ".o_list_view .o_data_row:first-child button[name='action_take']",
            run: "click",
        },
        {
            content: "Feedback that the ticket is mine",
            trigger: ".o_notification:contains('es suyo')",
        },
        {
            content: "It left the queue",
            trigger:
                ".o_list_view:not(:has(.o_data_row:first-child .o_itims_duration:contains('2 d 12 h')))",
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
            content: "Open a ticket of mine in progress",
            trigger:
                ".o_kanban_group:first-child .o_column_title:contains('En proceso')",
        },
        {
            trigger: ".o_kanban_group:first-child .o_kanban_record:contains('INC-')",
            run: "click",
        },
        {
            content: "It is mine and In Progress: Resolve is offered",
            trigger:
                ".o_form_view .o_statusbar_buttons button[name='action_itims_resolve']",
        },
    ],
});

// The same on a phone: the queue is a kanban, oldest first, each card with its
// waiting time; Resolve and Cancel are plain buttons on the ticket.
tours.add("itims_role_technician_phone_tour", {
    steps: () => [
        {
            content: "A technician lands on their own tickets",
            trigger: ".o_breadcrumb:contains('Mis tickets')",
        },
        {
            content: "The phone kanban opens on the tickets in progress",
            trigger:
                ".o_kanban_group:first-child .o_column_title:contains('En proceso')",
        },
        {
            content: "Open a ticket of mine in progress",
            trigger: ".o_kanban_group:first-child .o_kanban_record:contains('INC-')",
            run: "click",
        },
        {
            content: "Resolve is a visible button",
            trigger:
                ".o_form_view .o_itims_phone_actions button[name='action_itims_resolve']:visible",
        },
        {
            content: "Cancel is a visible button",
            trigger:
                ".o_form_view .o_itims_phone_actions button[name='action_itims_cancel']:visible",
        },
    ],
});

tours.add("itims_role_queue_phone_tour", {
    steps: () => [
        {
            content:
                "The queue on a phone is a kanban with the waiting time on each card",
            trigger:
                ".o_itims_queue_kanban .o_kanban_record:first-child .o_itims_duration:contains(' d')",
        },
        {
            content: "with the Take button at hand",
            trigger:
                ".o_itims_queue_kanban .o_kanban_record:first-child button[name='action_take']:visible",
        },
    ],
});

// A monitor reads every ticket and finds no way to change one.
tours.add("itims_role_monitor_tour", {
    steps: () => [
        {
            content: "The monitor lands on every ticket, unfiltered",
            trigger: ".o_breadcrumb:contains('Tickets')",
        },
        {
            content: "No 'My Tickets' filter is applied",
            trigger: ".o_control_panel:not(:has(.o_searchview_facet))",
        },
        {
            content: "Switch to the kanban",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "Open a ticket in progress",
            trigger:
                ".o_kanban_group:has(.o_column_title:contains('En proceso')) .o_kanban_record",
            run: "click",
        },
        {
            content: "A read-only form: no Take, Resolve, Cancel nor chatter composer",
            trigger:
                ".o_form_view .o_form_sheet_bg:not(:has(button[name='action_take'])):not(:has(button[name='action_itims_resolve'])):not(:has(button[name='action_itims_cancel']))",
        },
        {
            content: "The status bar cannot be clicked",
            trigger: ".o_statusbar_status:not(:has(button:not([disabled])))",
        },
        {
            content:
                "No message or note can be written (Odoo greys both out for readers)",
            trigger: ".o-mail-Chatter .o-mail-Chatter-sendMessage:disabled",
        },
        {
            trigger: ".o-mail-Chatter .o-mail-Chatter-logNote:disabled",
        },
        {
            content: "and no activity can be scheduled",
            trigger: ".o-mail-Chatter-topbar:not(:has(.o-mail-Chatter-activity))",
        },
    ],
});

// A manager lands on the workload board, sees each team's queue, takes a technician
// off duty, lowers another's cap, and sets a team's assignment method.
tours.add("itims_role_manager_tour", {
    steps: () => [
        {
            content: "The manager lands on the workload board, with the teams' queues",
            trigger: ".o_itims_queues .o_itims_queue:contains('Soporte TI')",
        },
        {
            content: "A click on a technician's row opens their tickets",
            trigger: ".o_data_row:contains('Edwin') td[name='name']",
            run: "click",
        },
        {
            content: "Edwin's tickets in progress",
            trigger: ".o_searchview_facet:contains('Edwin')",
        },
        {
            content: "Back to the board",
            trigger: ".o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "Take Milagros off duty",
            trigger: ".o_data_row:contains('Milagros') td[name='itims_on_duty'] input",
            run: "click",
        },
        {
            content: "Edit Edwin's cap",
            trigger:
                ".o_data_row:contains('Edwin') td[name='itims_max_active_tickets']",
            run: "click",
        },
        {
            trigger:
                ".o_data_row:contains('Edwin') td[name='itims_max_active_tickets'] input",
            run: "edit 6",
        },
        {
            content: "Save",
            trigger: ".o_list_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger:
                ".o_list_view:not(:has(.o_list_button_save)) .o_data_row:contains('Edwin') td[name='itims_max_active_tickets']:contains('6')",
        },
        {
            content: "Open the configuration",
            trigger:
                ".o_menu_sections [data-menu-xmlid='helpdesk_mgmt.helpdesk_ticket_config_main_menu']",
            run: "click",
        },
        {
            trigger:
                ".dropdown-item[data-menu-xmlid='helpdesk_mgmt.helpdesk_ticket_team_menu']",
            run: "click",
        },
        {
            content: "Open the IT support team",
            trigger: ".o_list_view .o_data_row td[name='name']:contains('Soporte TI')",
            run: "click",
        },
        {
            content: "Set its method to Round Robin",
            trigger: ".o_form_view div[name='itims_assignment_method'] select",
            run: 'select "round_robin"',
        },
        {
            content: "Save the team",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger:
                ".o_form_view .o_form_saved, .o_form_view:not(:has(.o_form_button_save:visible))",
        },
    ],
});

tours.add("itims_role_manager_board_tour", {
    steps: () => [
        {
            content:
                "The board: technicians against their caps, the teams' queues above",
            trigger: ".o_itims_queues .o_itims_queue:contains('Soporte TI')",
        },
        {
            trigger:
                ".o_list_view .o_data_row td[name='itims_active_ticket_count'] .o_progressbar",
        },
    ],
});

tours.add("itims_role_queue_desk_tour", {
    steps: () => [
        {
            content:
                "The queue, oldest first, with the waiting time and the Take button",
            trigger:
                ".o_list_view .o_data_row:first-child .o_itims_duration:contains('2 d 12 h')",
        },
        {
            trigger: ".o_list_view .o_data_row:first-child button[name='action_take']",
        },
    ],
});

// A technician takes a ticket that another technician took a moment before:
// a warning names who has it, and the stale row leaves the queue.
tours.add("itims_role_take_lost_race_tour", {
    steps: () => [
        {
            content: "The queue, oldest first",
            trigger:
                ".o_list_view .o_data_row:first-child .o_itims_duration:contains('2 d 12 h')",
        },
        {
            content: "Take it: someone else was faster",
            trigger: ".o_list_view .o_data_row:first-child button[name='action_take']",
            run: "click",
        },
        {
            content: "A warning says who took it",
            trigger:
                ".o_notification:has(.o_notification_bar.bg-warning):contains('ya fue tomado por')",
        },
        {
            content: "The stale row left the queue",
            trigger:
                ".o_list_view:not(:has(.o_data_row .o_itims_duration:contains('2 d 12 h')))",
        },
    ],
});

// The manager on a phone: the board's queues, and a technician put off duty.
tours.add("itims_role_manager_phone_tour", {
    steps: () => [
        {
            content: "The manager lands on the workload board, with the teams' queues",
            trigger:
                ".o_itims_queues .o_itims_queue:contains('Sistemas y Aplicaciones')",
        },
        {
            content: "Take Milagros off duty",
            trigger: ".o_data_row:contains('Milagros') td[name='itims_on_duty'] input",
            run: "click",
        },
        {
            content: "Saved at once: Milagros is off duty",
            trigger:
                ".o_list_view:not(:has(.o_list_button_save)) .o_data_row:contains('Milagros') td[name='itims_on_duty'] input:not(:checked)",
        },
    ],
});

// The monitor on a phone: tickets to read, no button that writes.
tours.add("itims_role_monitor_phone_tour", {
    steps: () => [
        {
            content: "The monitor lands on every ticket",
            trigger: ".o_breadcrumb:contains('Tickets')",
        },
        {
            content: "Open a ticket in progress",
            trigger: ".o_kanban_record:contains('INC-')",
            run: "click",
        },
        {
            content: "No Take, Resolve nor Cancel on the phone either",
            trigger:
                ".o_form_view .o_form_sheet_bg:not(:has(.o_itims_phone_actions button)):not(:has(button[name='action_take']))",
        },
        {
            content: "The status bar cannot be clicked",
            trigger: ".o_statusbar_status:not(:has(button:not([disabled])))",
        },
    ],
});

// A technician resolves a ticket from the phone, with the notes of what was done.
tours.add("itims_role_technician_phone_resolve_tour", {
    steps: () => [
        {
            content: "Open a ticket of mine in progress",
            trigger: ".o_kanban_group:first-child .o_kanban_record:contains('INC-')",
            run: "click",
        },
        {
            content: "Resolve, with the button at hand",
            trigger:
                ".o_form_view .o_itims_phone_actions button[name='action_itims_resolve']:visible",
            run: "click",
        },
        {
            content: "Say what was done",
            trigger: ".modal div[name='resolution_notes'] textarea",
            run: "edit Cambio de cable de red en el puesto 42 y prueba de conexión desde el teléfono.",
        },
        {
            content: "Confirm",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "Resolved: the dialog closed, the ticket offers Reopen instead",
            trigger:
                "body:not(:has(.modal)) .o_action_manager .o_form_view .o_itims_phone_actions button:visible:contains('Reabrir')",
        },
    ],
});
