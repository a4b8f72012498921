import {_t} from "@web/core/l10n/translation";
import publicWidget from "@web/legacy/js/public/public_widget";
import {rpc} from "@web/core/network/rpc";

const STORAGE_KEY = "itims_chatbot_history";
const HISTORY_MAX = 6;

/**
 * The website assistant: a button opening a panel where the visitor asks a
 * question; /itims/chatbot/ask answers. The server keeps nothing: the last
 * turns (as the server sanitized them) stay in this tab's sessionStorage and go
 * back with the next question. Answers are plain text, shown with textContent.
 */
publicWidget.registry.ItimsChatbot = publicWidget.Widget.extend({
    selector: "#itims_chatbot",
    events: {
        "click .o_itims_chatbot_toggle": "_onToggle",
        "click .o_itims_chatbot_close": "_onClose",
        "submit .o_itims_chatbot_form": "_onSubmit",
        "keydown #itims_chatbot_input": "_onKeydown",
        "keydown .o_itims_chatbot_panel": "_onPanelKeydown",
    },

    start() {
        this.toggleEl = this.el.querySelector(".o_itims_chatbot_toggle");
        this.panelEl = this.el.querySelector(".o_itims_chatbot_panel");
        this.logEl = this.el.querySelector(".o_itims_chatbot_log");
        this.inputEl = this.el.querySelector("#itims_chatbot_input");
        this.sendEl = this.el.querySelector(".o_itims_chatbot_send");
        this.escalateEl = this.el.querySelector(".o_itims_chatbot_escalate");
        this.history = this._loadHistory();
        for (const turn of this.history) {
            this._appendMessage(turn.content, turn.role === "user" ? "user" : "bot");
        }
        return this._super(...arguments);
    },

    _loadHistory() {
        try {
            const turns = JSON.parse(
                window.sessionStorage.getItem(STORAGE_KEY) || "[]"
            );
            return Array.isArray(turns) ? turns.slice(-HISTORY_MAX) : [];
        } catch {
            return [];
        }
    },

    _saveHistory() {
        try {
            window.sessionStorage.setItem(
                STORAGE_KEY,
                JSON.stringify(this.history.slice(-HISTORY_MAX))
            );
        } catch {
            // Private mode or full storage: the conversation just is not kept
        }
    },

    _open(open) {
        this.panelEl.classList.toggle("d-none", !open);
        this.toggleEl.setAttribute("aria-expanded", open ? "true" : "false");
        if (open) {
            this.inputEl.focus();
        } else {
            this.toggleEl.focus();
        }
    },

    _onToggle() {
        this._open(this.panelEl.classList.contains("d-none"));
    },

    _onClose() {
        this._open(false);
    },

    _onPanelKeydown(ev) {
        if (ev.key === "Escape") {
            this._open(false);
        }
    },

    _onKeydown(ev) {
        // Enter sends, Shift+Enter starts a new line
        if (ev.key === "Enter" && !ev.shiftKey) {
            ev.preventDefault();
            this._onSubmit(ev);
        }
    },

    _appendMessage(text, who) {
        const p = document.createElement("p");
        p.className = `o_itims_chatbot_msg o_itims_chatbot_${who}`;
        p.textContent = text;
        this.logEl.appendChild(p);
        this.logEl.scrollTop = this.logEl.scrollHeight;
        return p;
    },

    async _onSubmit(ev) {
        ev.preventDefault();
        const message = this.inputEl.value.trim();
        if (!message || this.busy) {
            return;
        }
        this.busy = true;
        this.sendEl.disabled = true;
        this.inputEl.value = "";
        const mine = this._appendMessage(message, "user");
        const waiting = this._appendMessage(_t("The assistant is writing…"), "bot");
        waiting.classList.add("o_itims_chatbot_waiting");
        this.logEl.setAttribute("aria-busy", "true");
        let result = null;
        try {
            result = await rpc("/itims/chatbot/ask", {message, history: this.history});
        } catch {
            result = {
                answer: _t(
                    "The assistant cannot answer right now. Create a ticket instead."
                ),
                outcome: "error",
                escalate_url: "/soporte",
            };
        }
        waiting.remove();
        this.logEl.removeAttribute("aria-busy");
        const answerEl = this._appendMessage(result.answer, "bot");
        answerEl.dataset.outcome = result.outcome;
        if (result.sanitized_message) {
            // Keep what the server would send out, never the raw text
            mine.textContent = result.sanitized_message;
            this.history.push(
                {role: "user", content: result.sanitized_message},
                {role: "assistant", content: result.answer}
            );
            this.history = this.history.slice(-HISTORY_MAX);
            this._saveHistory();
        }
        if (result.escalate_url && result.escalate_url.startsWith("/soporte")) {
            this.escalateEl.setAttribute("href", result.escalate_url);
        }
        this.busy = false;
        this.sendEl.disabled = false;
        this.inputEl.focus();
    },
});

/**
 * Any element with the class o_itims_chatbot_open (e.g. a button of the home
 * page) opens the assistant.
 */
publicWidget.registry.ItimsChatbotOpener = publicWidget.Widget.extend({
    selector: ".o_itims_chatbot_open",
    events: {click: "_onClick"},

    _onClick(ev) {
        ev.preventDefault();
        const panel = document.querySelector("#itims_chatbot_panel");
        if (panel && panel.classList.contains("d-none")) {
            document.querySelector("#itims_chatbot .o_itims_chatbot_toggle").click();
        } else if (panel) {
            document.querySelector("#itims_chatbot_input").focus();
        }
    },
});

export default publicWidget.registry.ItimsChatbot;
