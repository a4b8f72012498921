import {ReCaptcha} from "@google_recaptcha/js/recaptcha";
import publicWidget from "@web/legacy/js/public/public_widget";
import {session} from "@web/session";

/**
 * The captcha of the public forms (intake, tracking), when the institution
 * installed one of Odoo's captcha modules: google_recaptcha (a dependency of
 * website, active once its keys are set) or website_cf_turnstile. The form
 * names its action in ``data-itims-captcha``; the server checks the token
 * through ``ir.http._verify_request_recaptcha_token`` with the same action.
 * Without keys this widget does nothing and the forms post as they are.
 */
publicWidget.registry.ItimsCaptchaForm = publicWidget.Widget.extend({
    selector: "form[data-itims-captcha]",
    events: {
        submit: "_onSubmit",
    },

    init() {
        this._super(...arguments);
        this._recaptcha = new ReCaptcha();
        if (session.turnstile_site_key) {
            // Optional module: looked up, not imported (as website_event does)
            const module = odoo.loader.modules.get(
                "@website_cf_turnstile/js/turnstile"
            );
            this._turnstile = module && module.turnStile;
        }
    },

    willStart() {
        this._recaptcha.loadLibs();
        return this._super(...arguments);
    },

    start() {
        this.action = this.el.dataset.itimsCaptcha;
        if (this._turnstile) {
            // Turnstile posts its token in the form's own "turnstile_captcha"
            // field and keeps the button disabled until it has one
            const button = this.el.querySelector("[type='submit']");
            const turnstile = this._turnstile;
            turnstile.addSpinnerNoMangle.call(this, button);
            turnstile.cleanTurnstile.call(this);
            const nodes = turnstile.addTurnstile.call(this, this.action);
            if (nodes) {
                nodes.insertBefore(button);
                turnstile.renderTurnstile.call(this, nodes);
            }
        }
        return this._super(...arguments);
    },

    async _onSubmit(ev) {
        if (!session.recaptcha_public_key || this.el.dataset.itimsCaptchaReady) {
            return;
        }
        // ReCAPTCHA v3: ask for a token, then post the form with it
        ev.preventDefault();
        const result = await this._recaptcha.getToken(this.action);
        let input = this.el.querySelector("input[name='recaptcha_token_response']");
        if (!input) {
            input = document.createElement("input");
            input.type = "hidden";
            input.name = "recaptcha_token_response";
            this.el.append(input);
        }
        // Without a token the server refuses the post with a clear message
        input.value = result.token || "";
        this.el.dataset.itimsCaptchaReady = "1";
        this.el.submit();
    },
});

export default publicWidget.registry.ItimsCaptchaForm;
