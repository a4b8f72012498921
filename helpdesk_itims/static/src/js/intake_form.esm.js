import publicWidget from "@web/legacy/js/public/public_widget";
import {rpc} from "@web/core/network/rpc";

/**
 * Public incident form (/soporte): looks the requester up by national ID when
 * the field loses focus, shows their masked name and office, offers their
 * equipment, and asks for name and office by hand when the ID is unknown and
 * the institution accepts it. Every message is rendered by the server in the
 * page (translated there); this widget only shows or hides it. The server
 * validates everything again on submit.
 */
publicWidget.registry.ItimsIntakeForm = publicWidget.Widget.extend({
    selector: "#itims_intake_form",
    events: {
        "change #itims_national_id": "_onNationalIdChange",
        "focusout #itims_national_id": "_onNationalIdChange",
        "change #itims_office_id": "_onOfficeChange",
        "change #itims_attachments": "_onAttachmentsChange",
        submit: "_onSubmit",
    },

    start() {
        this.nationalIdInput = this.el.querySelector("#itims_national_id");
        // The page may come back from the server with a looked-up ID already
        this.lastLookup = this.nationalIdInput.value.trim();
        return this._super(...arguments);
    },

    async _onNationalIdChange() {
        const value = this.nationalIdInput.value.trim();
        if (value === this.lastLookup) {
            return;
        }
        this.lastLookup = value;
        if (!value) {
            this._showStatus(null);
            this._setEquipment([]);
            this._toggleManual(false);
            return;
        }
        let result = null;
        try {
            result = await rpc("/itims/dni_lookup", {national_id: value});
        } catch {
            // Network or server trouble: the form still works, the server decides
            return;
        }
        if (value !== this.lastLookup) {
            // The visitor typed another ID while this answer was on its way
            return;
        }
        this.nationalIdInput.dataset.lookupState = result.found ? "found" : "not_found";
        if (result.error === "rate_limited" || result.error === "invalid") {
            this._showStatus(result.error);
            this._setEquipment([]);
            this._toggleManual(false);
        } else if (result.found) {
            const foundEl = this.el.querySelector("#itims_lookup_found");
            foundEl.querySelector(".itims_masked_name").textContent =
                result.masked_name;
            foundEl.querySelector(".itims_office").textContent = result.office || "";
            foundEl
                .querySelector(".itims_office_block")
                .classList.toggle("d-none", !result.office);
            this._showStatus("found");
            this._setEquipment(result.equipment || []);
            this._toggleManual(false);
        } else {
            this._showStatus(
                result.allow_unknown ? "unknown_allowed" : "unknown_denied"
            );
            this._setEquipment([]);
            this._toggleManual(Boolean(result.allow_unknown));
        }
    },

    _onOfficeChange(ev) {
        const other = ev.currentTarget.value === "other";
        const block = this.el.querySelector("#itims_office_other_block");
        block.classList.toggle("d-none", !other);
        block.querySelector("input").required = other;
    },

    /**
     * Check count, size and type before the upload starts (the server checks
     * again): a body over the server's limit would only get a bare 413 page.
     */
    _onAttachmentsChange(ev) {
        const input = ev.currentTarget;
        const box = this.el.querySelector("#itims_attachments_client_error");
        const maxFiles = parseInt(box.dataset.maxFiles, 10);
        const maxBytes = parseInt(box.dataset.maxBytes, 10);
        const accepted = input.accept.split(",");
        const files = [...input.files];
        let reason = null;
        if (files.length > maxFiles) {
            reason = "count";
        } else if (files.some((file) => file.size > maxBytes)) {
            reason = "size";
        } else if (files.some((file) => !accepted.includes(file.type))) {
            reason = "type";
        }
        let message = "";
        for (const span of box.querySelectorAll("[data-reason]")) {
            span.classList.toggle("d-none", span.dataset.reason !== reason);
            if (span.dataset.reason === reason) {
                message = span.textContent.trim().replace(/\s+/g, " ");
            }
        }
        box.classList.toggle("d-block", Boolean(reason));
        input.classList.toggle("is-invalid", Boolean(reason));
        input.setCustomValidity(message);
    },

    _onSubmit() {
        // The browser fires submit only once its own checks pass
        const button = this.el.querySelector("#itims_submit");
        if (button.disabled) {
            return false;
        }
        button.disabled = true;
        button.classList.add("disabled");
    },

    /**
     * @param {String|null} status found, unknown_allowed, unknown_denied,
     *     invalid, rate_limited, or null to hide every message
     */
    _showStatus(status) {
        for (const name of [
            "found",
            "unknown_allowed",
            "unknown_denied",
            "invalid",
            "rate_limited",
        ]) {
            const el = this.el.querySelector(`#itims_lookup_${name}`);
            el.classList.toggle("d-none", name !== status);
        }
    },

    /**
     * @param {Array} equipment [{id, name}] of the requester's assets
     */
    _setEquipment(equipment) {
        const select = this.el.querySelector("#itims_equipment_id");
        for (const option of [...select.options].slice(1)) {
            option.remove();
        }
        for (const item of equipment) {
            const option = document.createElement("option");
            option.value = item.id;
            option.textContent = item.name;
            select.append(option);
        }
    },

    _toggleManual(show) {
        const block = this.el.querySelector("#itims_manual_requester");
        if (!block) {
            return;
        }
        block.classList.toggle("d-none", !show);
        block.querySelector("#itims_requester_name").required = show;
        block.querySelector("#itims_office_id").required = show;
        if (!show) {
            block.querySelector("#itims_office_other").required = false;
        }
    },
});

export default publicWidget.registry.ItimsIntakeForm;
