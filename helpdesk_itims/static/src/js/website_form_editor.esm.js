import FormEditorRegistry from "@website/js/form_editor_registry";
import {_t} from "@web/core/l10n/translation";

/**
 * The website editor's form action "Reportar una incidencia de TI": the fields
 * a new form starts with. Submissions are validated on the server as the
 * /soporte form's are (controllers/website_form.py): a national ID of the
 * institution, a category open to the public, a title and a description.
 */
FormEditorRegistry.add("itims_create_ticket", {
    formFields: [
        {
            type: "char",
            required: true,
            name: "requester_national_id",
            string: _t("National ID"),
        },
        {
            type: "char",
            modelRequired: true,
            name: "name",
            string: _t("Short title of the problem"),
        },
        {
            type: "text",
            required: true,
            name: "description",
            string: _t("What happens, since when, and any message you see"),
        },
        {
            type: "tel",
            name: "requester_phone",
            string: _t("Contact phone"),
        },
        {
            type: "email",
            name: "partner_email",
            string: _t("Email"),
        },
        {
            type: "binary",
            custom: true,
            name: _t("Photo or PDF of the problem"),
        },
    ],
    fields: [
        {
            name: "category_id",
            type: "many2one",
            relation: "helpdesk.ticket.category",
            domain: [["show_in_portal", "=", true]],
            required: true,
            string: _t("Type of problem"),
            title: _t("The category of every ticket sent with this form."),
        },
    ],
    successPage: "/soporte/enviado",
});
