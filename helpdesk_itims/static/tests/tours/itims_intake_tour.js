import {registry} from "@web/core/registry";

/**
 * A visitor reports an incident as a person would: types the national ID,
 * sees the masked name and office appear, picks the category and the
 * equipment, describes the problem, sends, reads the ticket number and opens
 * the tracking page from the confirmation link.
 */
registry.category("web_tour.tours").add("itims_intake_tour", {
    url: "/soporte",
    steps: () => [
        {
            content: "Type the national ID",
            trigger: "#itims_national_id",
            run: "edit 99887766",
        },
        {
            content: "Move on to the title: the national ID loses focus",
            trigger: "#itims_title",
            run: "click",
        },
        {
            content: "The masked name and the office appear",
            trigger:
                "#itims_lookup_found:not(.d-none):has(.itims_masked_name:contains(M*** T***)):has(.itims_office:contains(Oficina de Logística ITIMS))",
        },
        {
            content: "The requester's equipment is offered",
            trigger: "#itims_equipment_id:has(option:contains(ITIMS-T-PC-01))",
        },
        {
            content: "Pick the category",
            trigger: "#itims_category_id",
            run: "selectByLabel ITIMS Test Hardware",
        },
        {
            content: "Pick the equipment",
            trigger: "#itims_equipment_id",
            run: "selectByLabel ITIMS-T-PC-01",
        },
        {
            content: "Title",
            trigger: "#itims_title",
            run: "edit No enciende el monitor",
        },
        {
            content: "Description",
            trigger: "#itims_description",
            run: "edit El monitor de mi computadora no enciende desde esta mañana.",
        },
        {
            content: "Contact phone",
            trigger: "#itims_phone",
            run: "edit 987654321",
        },
        {
            content: "Send",
            trigger: "#itims_submit",
            run: "click",
        },
        {
            content: "The ticket number is shown",
            trigger: "#itims_ticket_number:contains(INC-)",
        },
        {
            content: "Open the tracking page",
            trigger: "#itims_tracking_link",
            run: "click",
        },
        {
            content: "The tracking page shows the ticket, registered",
            trigger:
                "#itims_ticket_status:has(#itims_tracking_number:contains(INC-)):has(#itims_tracking_state[data-state=registered])",
        },
        {
            content: "The timeline starts with the registration",
            trigger: ".o_itims_timeline li[data-step=registered][aria-current=step]",
        },
    ],
});
