import {registry} from "@web/core/registry";

// A reader of a ticket (the Monitor) finds no way to write in its chatter.
registry.category("web_tour.tours").add("itims_chatter_readonly_tour", {
    steps: () => [
        {
            content: "The chatter has loaded the ticket's followers and rights",
            trigger: ".o-mail-Chatter .o-mail-Followers-button:not(:has(.fa-spin))",
        },
        {
            content: "Send message is disabled",
            trigger: ".o-mail-Chatter-sendMessage:disabled",
        },
        {
            content: "Log note is disabled",
            trigger: ".o-mail-Chatter-logNote:disabled",
        },
        {
            content: "No Activities button",
            trigger: ".o-mail-Chatter-topbar:not(:has(.o-mail-Chatter-activity))",
        },
    ],
});

// A technician of the ticket's team keeps every chatter button.
registry.category("web_tour.tours").add("itims_chatter_writer_tour", {
    steps: () => [
        {
            trigger: ".o-mail-Chatter .o-mail-Followers-button:not(:has(.fa-spin))",
        },
        {
            trigger: ".o-mail-Chatter-sendMessage:enabled",
        },
        {
            content: "The Activities button is there",
            trigger: ".o-mail-Chatter-topbar .o-mail-Chatter-activity",
        },
    ],
});
