import {registry} from "@web/core/registry";

const tours = registry.category("web_tour.tours");

// A technician links Telegram from their own profile: the deep link to the bot and
// its QR code, for the phone.
tours.add("itims_telegram_connect_tour", {
    steps: () => [
        {
            content: "Open the user menu",
            trigger: ".o_user_menu button",
            run: "click",
        },
        {
            content: "Open my profile (preferences)",
            trigger:
                ".dropdown-item[data-menu='profile'], .dropdown-item[data-menu='settings']",
            run: "click",
        },
        {
            content: "The profile says whether Telegram is linked",
            trigger: ".o_field_widget[name='itims_telegram_status']",
        },
        {
            content: "Connect Telegram",
            trigger: "button[name='action_itims_telegram_connect']",
            run: "click",
        },
        {
            content: "A one-time deep link to the bot",
            trigger:
                ".modal .o_field_widget[name='link'] a[href^='https://t.me/soporte_ti_bot?start=']",
        },
        {
            content: "and its QR code, to scan with the phone",
            trigger: ".modal .o_field_widget[name='qr_code'] img",
        },
        {
            content: "Close",
            trigger: ".modal .modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "Back on the profile",
            trigger: "body:not(:has(.modal .o_field_widget[name='qr_code']))",
        },
    ],
});

// The manager sees on the workload board who receives tickets on Telegram, and
// who blocked the bot.
tours.add("itims_telegram_board_tour", {
    steps: () => [
        {
            content: "The board has a Telegram column",
            trigger: ".o_list_view th[data-name='itims_telegram_status']",
        },
        {
            content: "A technician who blocked the bot stands out",
            trigger:
                ".o_data_row:contains('Percy Alarcón') .o_field_widget[name='itims_telegram_status'] .text-bg-danger:contains('Bloqueado')",
        },
        {
            content: "A linked technician",
            trigger:
                ".o_data_row .o_field_widget[name='itims_telegram_status'] .text-bg-success:contains('Vinculado')",
        },
    ],
});
