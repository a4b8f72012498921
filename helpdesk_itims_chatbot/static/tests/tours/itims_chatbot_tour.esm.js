import {registry} from "@web/core/registry";

/**
 * A visitor opens the assistant, asks a question, reads the numbered answer,
 * and escalates: the incident form opens with the (sanitized) question as
 * title and description.
 */
registry.category("web_tour.tours").add("itims_chatbot_tour", {
    url: "/",
    steps: () => [
        {
            content: "Open the assistant",
            trigger: "#itims_chatbot .o_itims_chatbot_toggle",
            run: "click",
        },
        {
            content: "The panel is open and says so to assistive technology",
            trigger:
                "#itims_chatbot:has(.o_itims_chatbot_toggle[aria-expanded=true]) #itims_chatbot_panel:not(.d-none)",
        },
        {
            content: "Ask a question with a national ID in it",
            trigger: "#itims_chatbot_input",
            run: "edit Mi DNI es 45871236 y la impresora no imprime",
        },
        {
            content: "Send",
            trigger: "#itims_chatbot .o_itims_chatbot_send",
            run: "click",
        },
        {
            content: "The answer arrives",
            trigger:
                "#itims_chatbot .o_itims_chatbot_bot[data-outcome=answered_model]:contains(Verifique que la impresora)",
        },
        {
            content: "The question is shown as it was sent: sanitized",
            trigger: "#itims_chatbot .o_itims_chatbot_user:contains([DNI])",
        },
        {
            content: "Escalate to a ticket",
            trigger: "#itims_chatbot .o_itims_chatbot_escalate[href*='title=']",
            run: "click",
        },
        {
            content: "The incident form is prefilled",
            trigger: "#itims_title[value*='[DNI] y la impresora no imprime']",
        },
        {
            content: "The description too",
            trigger: "#itims_description:value(la impresora no imprime)",
        },
    ],
});
