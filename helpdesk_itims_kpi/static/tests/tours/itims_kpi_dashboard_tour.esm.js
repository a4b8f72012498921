import {registry} from "@web/core/registry";

// (in Spanish, the product's language) The dashboard shows the period's resolution rate; its card opens the ticket
// analysis pivot filtered to the period; the office selector restricts both to one office.
registry.category("web_tour.tours").add("itims_kpi_dashboard_tour", {
    steps: () => [
        {
            content: "The resolution rate card shows 2 of 3 tickets",
            trigger:
                ".o_itims_kpi_card[data-kpi='resolution_rate'] .o_itims_kpi_value:contains('66,67 %')",
        },
        {
            content: "Weekly chart and category chart are drawn",
            trigger: ".o_itims_kpi_weeks .o_itims_kpi_week_bar",
        },
        {
            content: "Open the resolution rate",
            trigger: ".o_itims_kpi_card[data-kpi='resolution_rate']",
            run: "click",
        },
        {
            content: "The pivot of the period opens with the card's measures",
            trigger: ".o_pivot th.o_pivot_measure_row:contains('Resueltos')",
        },
        {
            content: "Its total counts the period's 3 tickets, 2 resolved",
            trigger:
                ".o_pivot tbody tr:first-child td:nth-last-child(2):contains('3') + td:contains('2')",
        },
        {
            content: "The breadcrumb names the card",
            trigger: ".o_breadcrumb:contains('Tasa de resolución')",
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "Only the office of the open ticket",
            trigger: "select.o_itims_kpi_office",
            run: "selectByLabel Oficina de Tesorería",
        },
        {
            content: "Its one ticket is open: 0 % resolved",
            trigger:
                ".o_itims_kpi_card[data-kpi='resolution_rate'] .o_itims_kpi_value:contains('0 %'):not(:contains('66'))",
        },
        {
            content: "Open the resolution rate of that office",
            trigger: ".o_itims_kpi_card[data-kpi='resolution_rate']",
            run: "click",
        },
        {
            content: "The pivot counts the office's one ticket, none resolved",
            trigger:
                ".o_pivot tbody tr:first-child td:nth-last-child(2):contains('1') + td:contains('0')",
        },
    ],
});

// The demo manager's dashboard on the demo history: every card has a figure and both
// charts are drawn (the README's picture of the dashboard).
registry.category("web_tour.tours").add("itims_kpi_demo_dashboard_tour", {
    steps: () => [
        {
            content: "The resolution rate of the demo history",
            trigger:
                ".o_itims_kpi_card[data-kpi='resolution_rate'] .o_itims_kpi_value:contains('%')",
        },
        {
            content: "The response time, in minutes",
            trigger:
                ".o_itims_kpi_card[data-kpi='avg_response_minutes'] .o_itims_kpi_value:contains('min')",
        },
        {
            content: "Tickets per week by state",
            trigger: ".o_itims_kpi_weeks .o_itims_kpi_week_bar",
        },
    ],
});

// From the demo dashboard to the pivot behind a card (the README's picture of a pivot).
registry.category("web_tour.tours").add("itims_kpi_demo_pivot_tour", {
    steps: () => [
        {
            trigger:
                ".o_itims_kpi_card[data-kpi='avg_resolution_minutes'] .o_itims_kpi_value:contains('min')",
            run: "click",
        },
        {
            content: "The pivot of the period, by office and month",
            trigger: ".o_pivot th.o_pivot_measure_row",
        },
    ],
});
