import {registerWebsitePreviewTour} from "@website/js/tours/tour_utils";
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

/**
 * A person missing from the employee directory, where the institution accepts
 * it: the form asks for name and office, the office is typed by hand.
 */
registry.category("web_tour.tours").add("itims_intake_unknown_tour", {
    url: "/soporte",
    steps: () => [
        {
            content: "Type a national ID that matches no employee",
            trigger: "#itims_national_id",
            run: "edit 11223344",
        },
        {
            content: "Move on: the national ID loses focus",
            trigger: "#itims_title",
            run: "click",
        },
        {
            content: "The form says so and asks for name and office",
            trigger: "#itims_lookup_unknown_allowed:not(.d-none)",
        },
        {
            content: "Full name",
            trigger:
                "#itims_manual_requester:not(.d-none) #itims_requester_name[required]",
            run: "edit Rosa Huamán Flores",
        },
        {
            content: "The office is not in the list",
            trigger: "#itims_office_id[required]",
            run: "select other",
        },
        {
            content: "Type the office",
            trigger:
                "#itims_office_other_block:not(.d-none) #itims_office_other[required]",
            run: "edit Sede Callao, piso 2",
        },
        {
            content: "Pick the category",
            trigger: "#itims_category_id",
            run: "selectByLabel ITIMS Test Red",
        },
        {
            content: "Title",
            trigger: "#itims_title",
            run: "edit Sin conexión a internet",
        },
        {
            content: "Description",
            trigger: "#itims_description",
            run: "edit No hay conexión a internet en toda la sede desde las 9.",
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
    ],
});

/**
 * The page is an ordinary website page for the builder: an editor changes the
 * title in the editable area above the form and saves.
 */
registerWebsitePreviewTour(
    "itims_intake_edit_tour",
    {url: "/soporte", edition: true},
    () => [
        {
            content: "The form itself is protected from edition",
            trigger: ":iframe #itims_intake_form.o_not_editable",
        },
        {
            content: "Click the page title",
            trigger: ":iframe #oe_structure_itims_soporte_1 h1",
            run: "click",
        },
        {
            content: "Type a new title",
            trigger: ":iframe #oe_structure_itims_soporte_1 h1",
            run: "editor Mesa de ayuda de TI",
        },
        {
            // Not tour_utils.clickOnSave: it looks for the English label
            content: "Save",
            trigger:
                "#oe_snippets:not(:has(.o_we_ongoing_insertion)) button[data-action=save]:enabled",
            run: "click",
        },
        {
            content: "Back to the preview",
            trigger: "body:not(.editor_has_snippets):not(:has(.o_notification_bar))",
            // As tour_utils.clickOnSave: saving re-renders the page
            timeout: 50000,
        },
        {
            content: "The saved page shows the new title",
            trigger:
                ":iframe #oe_structure_itims_soporte_1 h1:contains(Mesa de ayuda de TI)",
        },
    ]
);
