"""Public incident intake: the form (/soporte), its submission (/soporte/enviar)
and the national ID lookup that fills it in (/itims/dni_lookup)."""

import logging
import re

from markupsafe import Markup

from odoo import http
from odoo.http import request
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import plaintext2html
from odoo.tools.mail import single_email_re

from .common import CAPTCHA_FIELDS, ItimsPublicMixin
from .uploads import (
    MAX_ATTACHMENT_SIZE,
    MAX_ATTACHMENTS,
    MAX_IMAGE_PIXELS,
    clean_filename,
    image_problem,
    sniff_mimetype,
)

_logger = logging.getLogger(__name__)

TITLE_MAX = 120
DESCRIPTION_MIN = 15
DESCRIPTION_MAX = 5000
NAME_MIN = 3
NAME_MAX = 120
OFFICE_TEXT_MAX = 120
EMAIL_MAX = 120
PHONE_MAX = 20
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()\-]{2,19}$", flags=re.ASCII)
# the whole request body: three 5 MB files plus the text fields; werkzeug refuses
# to parse a bigger body (413) before anything reaches the controller
MAX_REQUEST_SIZE = 16 * 1024 * 1024
HONEYPOT_FIELD = "company_website"
# the action names the form's captcha token is asked for (see captcha_form.esm.js)
CAPTCHA_ACTION_SUBMIT = "itims_intake"
OFFICE_OTHER = "other"


def mask_name(name):
    """Return "J*** P***": the initials of the first name and first surname.

    Employee names are stored as one string ("Juan Carlos Pérez García"): with
    four words or more the first surname is the one before last, otherwise the
    second word. The number of stars is fixed so nothing of the length leaks.
    """
    words = (name or "").split()
    if len(words) >= 4:
        picked = [words[0], words[-2]]
    else:
        picked = words[:2]
    return " ".join(f"{word[0].upper()}***" for word in picked)


def posted_text(post, name, limit, errors):
    """The stripped text of field ``name``; an error if longer than ``limit``."""
    value = post.get(name)
    if not isinstance(value, str):
        return ""
    # PostgreSQL refuses NUL characters in text
    value = value.replace("\x00", "").strip()
    if len(value) > limit:
        errors[name] = request.env._("At most %s characters.", limit)
    return value


class ItimsIntakeValidation(ItimsPublicMixin):
    """The one validation of a public ticket submission, shared by /soporte/enviar
    and the forms built in the website editor (website_form.py). Not a
    controller: no route here."""

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _max_request_size(self):
        return MAX_REQUEST_SIZE

    def _submit_rate_limited(self):
        """The error to show when this client used up its submissions (the
        ``submit`` limit every ticket form shares), else None."""
        if self._check_rate_limit("submit"):
            return None
        return request.env._(
            "Too many requests from your connection. Please wait a few minutes and try again."
        )

    def _clean_national_id(self, value):
        return self._company()._itims_clean_national_id(value)

    def _employee_equipment(self, employee_sudo):
        """Assets the requester may pick (see hr.employee._itims_offered_equipment)."""
        if not employee_sudo:
            return request.env["maintenance.equipment"]
        return employee_sudo._itims_offered_equipment()

    def _equipment_label(self, equipment):
        if equipment.itims_asset_tag:
            return f"[{equipment.itims_asset_tag}] {equipment.name}"
        return equipment.name

    def _categories(self):
        company = self._company()
        return request.env["helpdesk.ticket.category"].search(
            [
                ("active", "=", True),
                ("show_in_portal", "=", True),
                ("company_id", "in", [False, company.id]),
            ]
        )

    def _offices(self):
        # sudo: visitors cannot read departments; only names of the website
        # company's offices are listed, for requesters the directory lacks
        return (
            request.env["hr.department"]
            .sudo()
            .search([("company_id", "in", [False, self._company().id])], order="name")
        )

    def _lookup_payload(self, employee_sudo):
        equipment = self._employee_equipment(employee_sudo)
        return {
            "found": True,
            "masked_name": mask_name(employee_sudo.name),
            "office": employee_sudo.department_id.name or False,
            "equipment": [{"id": eq.id, "name": self._equipment_label(eq)} for eq in equipment],
        }

    def _intake_values(self, values=None, errors=None, employee_sudo=None):
        company = self._company()
        allow_unknown = company.itims_allow_unknown_requester
        values = values or {}
        national_id = values.get("national_id", "")
        unknown = bool(
            allow_unknown
            and self._clean_national_id(national_id)
            and not (employee_sudo and employee_sudo.exists())
        )
        return {
            "values": values,
            "errors": errors or {},
            "categories": self._categories(),
            "offices": self._offices() if allow_unknown else [],
            "allow_unknown": allow_unknown,
            "show_manual": unknown,
            "employee": self._lookup_payload(employee_sudo) if employee_sudo else False,
            "limits": {
                "title": TITLE_MAX,
                "description_min": DESCRIPTION_MIN,
                "description_max": DESCRIPTION_MAX,
                "name": NAME_MAX,
                "attachments": MAX_ATTACHMENTS,
                "attachment_mb": MAX_ATTACHMENT_SIZE // (1024 * 1024),
            },
            "help_texts": self._help_texts(),
            "honeypot_field": HONEYPOT_FIELD,
            "office_other": OFFICE_OTHER,
        }

    def _help_texts(self):
        size_mb = MAX_ATTACHMENT_SIZE // (1024 * 1024)
        return {
            "description": request.env._(
                "What happens, since when, and any message you see "
                "(%(min)s to %(max)s characters).",
                min=DESCRIPTION_MIN,
                max=DESCRIPTION_MAX,
            ),
            "attachments": request.env._(
                "Up to %(count)s photos or PDF files, %(size)s MB each.",
                count=MAX_ATTACHMENTS,
                size=size_mb,
            ),
            "too_many_files": request.env._("Attach at most %s files.", MAX_ATTACHMENTS),
            "file_too_big": request.env._("Each file must weigh at most %s MB.", size_mb),
            "file_type": request.env._("Only images (PNG, JPEG, GIF, WebP) and PDF files."),
            "image_too_big": request.env._(
                "Images may have at most %s megapixels: send a smaller photo.",
                MAX_IMAGE_PIXELS // 1_000_000,
            ),
            "image_unreadable": request.env._(
                "One of the images could not be read. Attach it again, or as a PDF file."
            ),
        }

    def _render_form(self, values=None, errors=None, employee_sudo=None, status=200):
        return request.render(
            "helpdesk_itims.intake_page",
            self._intake_values(values, errors, employee_sudo),
            status=status,
        )

    # ------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------

    def _uploads(self):
        return [
            upload
            for upload in request.httprequest.files.getlist("attachments")
            if upload and upload.filename
        ]

    def _read_files(self, errors):
        """Return [(filename, content, mimetype)] of the posted attachments, each
        read whole into memory and checked before anything is stored."""
        uploads = self._uploads()
        texts = self._help_texts()
        if len(uploads) > MAX_ATTACHMENTS:
            errors["attachments"] = texts["too_many_files"]
            return []
        files = []
        for upload in uploads:
            # from the start: Odoo rewinds only the first file of a field when
            # it replays a request after a serialization failure
            if upload.stream.seekable():
                upload.stream.seek(0)
            content = upload.read(MAX_ATTACHMENT_SIZE + 1)
            if len(content) > MAX_ATTACHMENT_SIZE:
                errors["attachments"] = texts["file_too_big"]
                return []
            mimetype = sniff_mimetype(content)
            if not mimetype:
                errors["attachments"] = texts["file_type"]
                return []
            problem = mimetype.startswith("image/") and image_problem(content)
            if problem:
                errors["attachments"] = texts[f"image_{problem}"]
                return []
            files.append((clean_filename(upload.filename, mimetype), content, mimetype))
        return files

    def _validate_requester(self, post, errors):
        """Return (national ID, employee, requester values) of the submission."""
        national_id = self._clean_national_id(post.get("national_id"))
        employee = self._find_employee(national_id)
        if not national_id:
            errors["national_id"] = request.env._("Enter a valid national ID.")
            return national_id, employee, {}
        if employee:
            return (
                national_id,
                employee,
                {
                    "requester_id": employee.id,
                    "office_id": employee.department_id.id,
                    "partner_name": employee.name,
                },
            )
        if not self._company().itims_allow_unknown_requester:
            errors["national_id"] = request.env._(
                "This national ID is not registered. Please contact the IT "
                "support office to report your incident."
            )
            return national_id, employee, {}
        # unknown requester, accepted by the institution: name and office by hand
        name = posted_text(post, "requester_name", NAME_MAX, errors)
        if len(name) < NAME_MIN and "requester_name" not in errors:
            errors["requester_name"] = request.env._("Enter your full name.")
        values = {"partner_name": name, "office_id": False}
        office_value = post.get("office_id")
        if office_value == OFFICE_OTHER:
            office_note = posted_text(post, "office_other", OFFICE_TEXT_MAX, errors)
            if not office_note and "office_other" not in errors:
                errors["office_other"] = request.env._("Enter the name of your office.")
            values["office_note"] = office_note
        else:
            office = self._offices().filtered(lambda dep: str(dep.id) == office_value)[:1]
            if not office:
                errors["office_id"] = request.env._("Select your office.")
            values["office_id"] = office.id
        return national_id, employee, values

    def _validate_problem(self, post, employee_sudo, errors):
        """Return the category, equipment, title and description values."""
        category_value = post.get("category_id")
        category = self._categories().filtered(lambda cat: str(cat.id) == category_value)[:1]
        if not category:
            errors["category_id"] = request.env._("Select the type of problem.")

        equipment = request.env["maintenance.equipment"]
        equipment_value = post.get("equipment_id")
        if equipment_value and employee_sudo:
            # never trust the posted id: it must be one of the requester's assets
            equipment = self._employee_equipment(employee_sudo).filtered(
                lambda eq: str(eq.id) == equipment_value
            )[:1]
            if not equipment:
                errors["equipment_id"] = request.env._("Select one of your assigned equipment.")

        title = posted_text(post, "title", TITLE_MAX, errors)
        if not title and "title" not in errors:
            errors["title"] = request.env._("Enter a short title for the problem.")

        description = post.get("description")
        description = (
            description.replace("\x00", "").strip() if isinstance(description, str) else ""
        )
        if len(description) < DESCRIPTION_MIN:
            errors["description"] = request.env._(
                "Describe the problem in at least %s characters.", DESCRIPTION_MIN
            )
        elif len(description) > DESCRIPTION_MAX:
            errors["description"] = request.env._("At most %s characters.", DESCRIPTION_MAX)
        return {
            "category_id": category.id,
            "equipment_id": equipment.id,
            "name": title,
            "description": description,
        }

    def _validate_contact(self, post, employee_sudo, errors):
        phone = posted_text(post, "phone", PHONE_MAX, errors)
        if phone and "phone" not in errors and not PHONE_RE.match(phone):
            errors["phone"] = request.env._("Enter a valid phone number (digits, spaces, + and -).")
        email = posted_text(post, "email", EMAIL_MAX, errors)
        if email and "email" not in errors and not single_email_re.match(email):
            errors["email"] = request.env._("Enter a valid email address.")
        return {
            "requester_phone": phone,
            "partner_email": email or employee_sudo.work_email or False,
        }

    def _validate_submission(self, post):
        """Check every posted value; return (ticket values, files, errors, employee)."""
        errors = {}
        national_id, employee, vals = self._validate_requester(post, errors)
        vals.update(self._validate_problem(post, employee, errors))
        vals.update(self._validate_contact(post, employee, errors))
        files = self._read_files(errors)
        if errors:
            return {}, [], errors, employee
        description = vals["description"]
        office_note = vals.pop("office_note", "")
        if office_note:
            label = request.env._("Office (typed by the requester): %s", office_note)
            description = f"{label}\n\n{description}"
        vals.update(
            requester_national_id=national_id,
            description=plaintext2html(description),
        )
        return vals, files, errors, employee

    def _create_submission(self, vals, files):
        """Create the validated submission's ticket; return (ticket, token)."""
        # sudo: visitors cannot create tickets; every value was validated
        # (category, office and equipment are records found server side)
        return (
            request.env["helpdesk.ticket"]
            .sudo()
            ._itims_create_from_intake(vals, files, self._company())
        )

    def _confirmation_values(self, ticket, token, employee_sudo):
        return {
            "ticket_number": ticket.number,
            "tracking_url": ticket._itims_tracking_url(token),
            "email_sent": bool(employee_sudo.work_email),
        }


class ItimsIntakeController(ItimsIntakeValidation, http.Controller):
    # ------------------------------------------------------------------
    # Routes (``self`` positional-only: a posted field named "self" is data)
    # ------------------------------------------------------------------

    @http.route("/soporte", type="http", auth="public", website=True, methods=["GET"])
    def intake_form(self, /, **kwargs):
        return self._render_form()

    @http.route(
        "/soporte/enviar",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
        max_content_length=lambda controller: controller._max_request_size(),
    )
    def intake_submit(self, /, **post):
        values = {
            key: value
            for key, value in post.items()
            if isinstance(value, str) and key not in ("csrf_token", HONEYPOT_FIELD, *CAPTCHA_FIELDS)
        }
        limited = self._submit_rate_limited()
        if limited:
            return self._render_form(values, {"form": limited}, status=429)
        if post.get(HONEYPOT_FIELD):
            _logger.info("Intake honeypot filled from %s", self._client_key())
            errors = {"form": request.env._("Your request could not be processed.")}
            return self._render_form(values, errors, status=400)
        if not self._captcha_passed(CAPTCHA_ACTION_SUBMIT):
            errors = {"form": self._captcha_error()}
            if self._uploads():
                errors["attachments"] = request.env._("Please attach your files again.")
            return self._render_form(values, errors, status=400)

        vals, files, errors, employee = self._validate_submission(post)
        if errors:
            if self._uploads():
                # browsers never refill file inputs
                errors.setdefault("attachments", request.env._("Please attach your files again."))
            return self._render_form(values, errors, employee, status=400)

        try:
            ticket, token = self._create_submission(vals, files)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # Odoo replays the request
        except Exception:  # noqa: BLE001 - nothing was kept; the visitor gets a page
            return self._creation_failed(values, employee)
        return request.render(
            "helpdesk_itims.intake_confirmation",
            self._confirmation_values(ticket, token, employee),
        )

    def _creation_failed(self, values, employee_sudo):
        _logger.exception("Public submission from %s could not be saved", self._client_key())
        message = request.env._(
            "Your incident could not be saved. Nothing was recorded: please try "
            "again in a few minutes."
        )
        if request.env.cr._cnx.closed:
            return self._connection_lost(message)
        errors = {"form": message}
        if self._uploads():
            errors["attachments"] = request.env._("Please attach your files again.")
        return self._render_form(values, errors, employee_sudo, status=503)

    def _connection_lost(self, message):
        """The database connection was lost while saving (a PostgreSQL restart, a
        failover, a network cut): nothing can be read from the database any more,
        so a plain page says what happened (the message is a code translation,
        read from the addon's files)."""
        # nothing of the lost transaction is flushed at the end of the request
        request.env.cr.clear()
        page = Markup(
            '<!DOCTYPE html><html lang="%s"><head><meta charset="utf-8"/>'
            '<meta name="viewport" content="width=device-width, initial-scale=1"/>'
            "<title>%s</title></head><body><main><h1>%s</h1>"
            '<p><a href="/soporte">/soporte</a></p></main></body></html>'
        ) % ((request.env.lang or "en_US").replace("_", "-"), message, message)
        return request.make_response(
            page,
            headers=[("Content-Type", "text/html; charset=utf-8"), ("Retry-After", "60")],
            status=503,
        )

    @http.route(
        "/itims/dni_lookup",
        type="json",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def dni_lookup(self, /, national_id=None, **kwargs):
        """{national_id} -> {found, masked_name, office, equipment}.

        Never returns full names, national IDs, emails or phones.
        """
        allow_unknown = self._company().itims_allow_unknown_requester
        result = {
            "found": False,
            "masked_name": False,
            "office": False,
            "equipment": [],
            "allow_unknown": allow_unknown,
        }
        if not self._check_rate_limit("lookup"):
            result["error"] = "rate_limited"
            return result
        clean = self._clean_national_id(national_id)
        if not clean:
            result["error"] = "invalid"
            return result
        employee = self._find_employee(clean)
        if employee:
            result.update(self._lookup_payload(employee))
        return result
