import {registerWebsitePreviewTour} from "@website/js/tours/tour_utils";
import {registry} from "@web/core/registry";

// An administrator turns the contact page's form into an IT incident form in
// the website editor (action "Reportar una incidencia de TI").
registerWebsitePreviewTour(
    "itims_website_form_editor",
    {url: "/contactus", edition: true},
    () => [
        {
            content: "Select the contact form",
            trigger: ":iframe #wrap.o_editable section.s_website_form",
            run: "click",
        },
        {
            trigger: "#oe_snippets .o_we_customize_snippet_btn.active",
        },
        {
            content: "Open the form's action select",
            trigger:
                "we-select:has(we-button:contains('Reportar una incidencia de TI')) we-toggler",
            run: "click",
        },
        {
            content: "The form creates IT incident tickets",
            trigger: "we-select we-button:contains('Reportar una incidencia de TI')",
            run: "click",
        },
        {
            content: "The ticket fields replace the contact fields",
            trigger:
                ":iframe section.s_website_form form[data-model_name='helpdesk.ticket'] input[name='requester_national_id']",
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
            timeout: 50000,
        },
        {
            content: "The page is saved with the ticket form",
            trigger:
                ":iframe form[data-model_name='helpdesk.ticket'] input[name='requester_national_id']",
        },
    ]
);

// A visitor uses that form: an unknown national ID is refused with the intake's
// message, a known one creates the ticket and shows its number.
registry.category("web_tour.tours").add("itims_website_form_submit", {
    url: "/contactus",
    steps: () => [
        {
            content: "A national ID nobody has",
            trigger:
                "form[data-model_name='helpdesk.ticket'] input[name=requester_national_id]",
            run: "edit 00000000",
        },
        {
            trigger: "form[data-model_name='helpdesk.ticket'] input[name=name]",
            run: "edit Proyector sin señal",
        },
        {
            trigger:
                "form[data-model_name='helpdesk.ticket'] textarea[name=description]",
            run: "edit El proyector de la sala de reuniones no muestra imagen.",
        },
        {
            content: "Send",
            trigger: ".s_website_form_send",
            run: "click",
        },
        {
            content: "Refused with the intake's own message, nothing created",
            trigger: "#s_website_form_result.text-danger:contains('DNI')",
        },
        {
            content: "The national ID of a registered employee",
            trigger:
                "form[data-model_name='helpdesk.ticket'] input[name=requester_national_id]",
            run: "edit 45781236",
        },
        {
            content: "Send again",
            trigger: ".s_website_form_send:not(.disabled)",
            run: "click",
        },
        {
            content: "The confirmation shows the ticket's number and tracking link",
            trigger: "#itims_tracking_link",
        },
    ],
});
