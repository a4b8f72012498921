"""Public incident intake (/soporte) and ticket tracking (/soporte/seguimiento).

Visitors have no account: every route reads as the public user and switches to
sudo() only for the one narrow operation it needs, after validating every value
the client sent. No route lets an exception reach the visitor, and none returns
personal data beyond a masked name and an office.
"""

import logging
import re
from urllib.parse import urlencode

import pytz

from odoo import http
from odoo.http import request
from odoo.tools import consteq, format_datetime, plaintext2html
from odoo.tools.mail import single_email_re
from odoo.tools.mimetypes import guess_mimetype

_logger = logging.getLogger(__name__)

NATIONAL_ID_MAX = 32
TITLE_MAX = 120
DESCRIPTION_MIN = 15
DESCRIPTION_MAX = 5000
NAME_MIN = 3
NAME_MAX = 120
OFFICE_TEXT_MAX = 120
EMAIL_MAX = 120
PHONE_MAX = 20
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()\-]{2,19}$")
TICKET_NUMBER_MAX = 64
MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_SIZE = 5 * 1024 * 1024
ALLOWED_MIMETYPES = {
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
}
# the whole request body: three 5 MB files plus the text fields; werkzeug refuses
# to parse a bigger body (413) before anything reaches the controller
MAX_REQUEST_SIZE = 16 * 1024 * 1024
HONEYPOT_FIELD = "company_website"
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


class ItimsIntakeController(http.Controller):
    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _max_request_size(self):
        return MAX_REQUEST_SIZE

    def _client_ip(self):
        # behind a reverse proxy, Odoo's --proxy-mode puts X-Forwarded-For here
        return request.httprequest.remote_addr or "unknown"

    def _check_rate_limit(self, scope):
        # sudo: the visitor may not read or write the attempt log (no ACL at all
        # for public users); only this counter touches it
        return (
            request.env["itims.rate.limit.log"].sudo()._check_rate_limit(scope, self._client_ip())
        )

    def _company(self):
        return request.website.company_id

    def _clean_national_id(self, value):
        """Return the national ID if it has the company's format, else False."""
        if not isinstance(value, str):
            return False
        value = value.strip()
        if not value or len(value) > NATIONAL_ID_MAX or "\x00" in value:
            return False
        pattern = self._company().itims_national_id_regex or r"^\d{8}$"
        return value if re.match(pattern, value) else False

    def _find_employee(self, national_id):
        """The active employee of the website's company with this national ID."""
        if not national_id:
            return request.env["hr.employee"]
        # sudo: identification_id is a private HR field and visitors have no
        # access to employees; the value was validated against the company's
        # national ID format and only an exact match is read
        return (
            request.env["hr.employee"]
            .sudo()
            .search(
                [
                    ("identification_id", "=", national_id),
                    ("company_id", "=", self._company().id),
                ],
                limit=1,
            )
        )

    def _employee_equipment(self, employee_sudo):
        """Assets the requester may pick: assigned to them or to their office."""
        if not employee_sudo:
            return request.env["maintenance.equipment"]
        domain = [("employee_id", "=", employee_sudo.id)]
        if employee_sudo.department_id:
            domain = [
                "|",
                ("employee_id", "=", employee_sudo.id),
                "&",
                ("employee_id", "=", False),
                ("department_id", "=", employee_sudo.department_id.id),
            ]
        # sudo: visitors cannot read the inventory; the search is bound to the
        # employee matched by national ID and only tag and name are shown
        return (
            request.env["maintenance.equipment"]
            .sudo()
            .search(
                domain
                + [
                    ("company_id", "in", [False, self._company().id]),
                    ("itims_lifecycle_status", "!=", "retired"),
                ],
                order="itims_asset_tag, name, id",
            )
        )

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

    def _team_for(self, category_sudo):
        Team = request.env["helpdesk.ticket.team"].sudo()
        company = self._company()
        company_domain = [("company_id", "in", [False, company.id])]
        return Team.search(
            [("category_ids", "in", category_sudo.ids)] + company_domain, limit=1
        ) or Team.search(company_domain, limit=1)

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
        }

    def _render_form(self, values=None, errors=None, employee_sudo=None, status=200):
        return request.render(
            "helpdesk_itims.intake_page",
            self._intake_values(values, errors, employee_sudo),
            status=status,
        )

    def _tracking_url(self, ticket_sudo, absolute=False):
        query = urlencode({"ticket": ticket_sudo.number, "token": ticket_sudo.access_token})
        path = f"/soporte/seguimiento?{query}"
        return request.website.get_base_url() + path if absolute else path

    def _visitor_tz(self):
        # the browser's time zone (cookie set by the website's JS), else the
        # institution's; sudo: visitors may not read the company's partner
        tz = request.httprequest.cookies.get("tz")
        if tz in pytz.all_timezones_set:
            return tz
        return self._company().sudo().partner_id.tz or "UTC"

    # ------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------

    def _read_files(self, errors):
        """Return [(filename, content, mimetype)] of the posted attachments."""
        uploads = [
            upload
            for upload in request.httprequest.files.getlist("attachments")
            if upload and upload.filename
        ]
        if len(uploads) > MAX_ATTACHMENTS:
            errors["attachments"] = self._help_texts()["too_many_files"]
            return []
        files = []
        for upload in uploads:
            content = upload.read(MAX_ATTACHMENT_SIZE + 1)
            if len(content) > MAX_ATTACHMENT_SIZE:
                errors["attachments"] = self._help_texts()["file_too_big"]
                return []
            mimetype = guess_mimetype(content, default="application/octet-stream")
            if not content or mimetype not in ALLOWED_MIMETYPES:
                errors["attachments"] = self._help_texts()["file_type"]
                return []
            filename = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:128]
            files.append((filename, content, mimetype))
        return files

    @staticmethod
    def _posted_text(post, name, limit, errors):
        """The stripped text of field ``name``; an error if longer than ``limit``."""
        value = post.get(name)
        if not isinstance(value, str):
            return ""
        # PostgreSQL refuses NUL characters in text
        value = value.replace("\x00", "").strip()
        if len(value) > limit:
            errors[name] = request.env._("At most %s characters.", limit)
        return value

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
        name = self._posted_text(post, "requester_name", NAME_MAX, errors)
        if len(name) < NAME_MIN and "requester_name" not in errors:
            errors["requester_name"] = request.env._("Enter your full name.")
        values = {"partner_name": name, "office_id": False}
        office_value = post.get("office_id") or ""
        if office_value == OFFICE_OTHER:
            office_note = self._posted_text(post, "office_other", OFFICE_TEXT_MAX, errors)
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
        category_value = post.get("category_id") or ""
        category = self._categories().filtered(lambda cat: str(cat.id) == category_value)[:1]
        if not category:
            errors["category_id"] = request.env._("Select the type of problem.")

        equipment = request.env["maintenance.equipment"]
        equipment_value = post.get("equipment_id") or ""
        if equipment_value and employee_sudo:
            # never trust the posted id: it must be one of the requester's assets
            equipment = self._employee_equipment(employee_sudo).filtered(
                lambda eq: str(eq.id) == equipment_value
            )[:1]
            if not equipment:
                errors["equipment_id"] = request.env._("Select one of your assigned equipment.")

        title = self._posted_text(post, "title", TITLE_MAX, errors)
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
        phone = self._posted_text(post, "phone", PHONE_MAX, errors)
        if phone and "phone" not in errors and not PHONE_RE.match(phone):
            errors["phone"] = request.env._("Enter a valid phone number (digits, spaces, + and -).")
        email = self._posted_text(post, "email", EMAIL_MAX, errors)
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

    # ------------------------------------------------------------------
    # Routes
    # ------------------------------------------------------------------

    @http.route("/soporte", type="http", auth="public", website=True, methods=["GET"])
    def intake_form(self, **kwargs):
        return self._render_form()

    @http.route(
        "/soporte/enviar",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
        max_content_length=_max_request_size,
    )
    def intake_submit(self, **post):
        values = {
            key: value
            for key, value in post.items()
            if isinstance(value, str) and key not in ("csrf_token", HONEYPOT_FIELD)
        }
        if not self._check_rate_limit("submit"):
            errors = {
                "form": request.env._(
                    "Too many requests from your connection. Please wait a few "
                    "minutes and try again."
                )
            }
            return self._render_form(values, errors, status=429)
        if post.get(HONEYPOT_FIELD):
            _logger.info("Intake honeypot filled from %s", self._client_ip())
            errors = {"form": request.env._("Your request could not be processed.")}
            return self._render_form(values, errors, status=400)

        vals, files, errors, employee = self._validate_submission(post)
        if errors:
            if any(upload.filename for upload in request.httprequest.files.getlist("attachments")):
                # browsers never refill file inputs
                errors.setdefault("attachments", request.env._("Please attach your files again."))
            return self._render_form(values, errors, employee, status=400)

        ticket = self._create_ticket(vals, files, employee)
        return request.render(
            "helpdesk_itims.intake_confirmation",
            {
                "ticket_number": ticket.number,
                "tracking_url": self._tracking_url(ticket),
                "email_sent": bool(employee.work_email),
            },
        )

    def _create_ticket(self, vals, files, employee_sudo):
        company = self._company()
        category = request.env["helpdesk.ticket.category"].browse(vals["category_id"])
        team = self._team_for(category.sudo())
        stages = team._get_applicable_stages()
        stage = stages.filtered(lambda st: st.itims_state == "registered")[:1] or stages[:1]
        vals.update(
            {
                "company_id": company.id,
                "team_id": team.id,
                "stage_id": stage.id,
                "channel_id": request.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web").id,
                # helpdesk_mgmt's auto-assign default would give it to the public
                # user; the assignment engine picks the technician on create
                "user_id": False,
            }
        )
        # sudo: visitors cannot create tickets; every value was validated above
        # (category, office and equipment are records found server side)
        ticket = request.env["helpdesk.ticket"].sudo().create(vals)
        ticket._portal_ensure_token()
        if files:
            # sudo: attachments of a ticket the visitor cannot read; each file was
            # checked for count, size and content type before
            request.env["ir.attachment"].sudo().create(
                [
                    {
                        "name": filename,
                        "raw": content,
                        "mimetype": mimetype,
                        "res_model": "helpdesk.ticket",
                        "res_id": ticket.id,
                    }
                    for filename, content, mimetype in files
                ]
            )
        template = request.env.ref(
            "helpdesk_itims.mail_template_ticket_received", raise_if_not_found=False
        )
        if template and employee_sudo.work_email:
            # sudo: rendering reads the ticket; the mail goes through the queue
            template.sudo().with_context(
                itims_tracking_url=self._tracking_url(ticket, absolute=True)
            ).send_mail(ticket.id, force_send=False)
        # recompute what creating and assigning the ticket left pending as superuser
        # now: the flush that ends the request runs as the visitor, who cannot read it
        ticket.env.flush_all()
        return ticket

    @http.route(
        "/itims/dni_lookup",
        type="json",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def dni_lookup(self, national_id=None, **kwargs):
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

    @http.route(
        "/soporte/seguimiento",
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        sitemap=False,
        # read-only: the same lookup is served on GET, so a CSRF token would
        # protect nothing; the attempt counter is the only write
        csrf=False,
    )
    def tracking(self, ticket=None, national_id=None, token=None, **kwargs):
        number = ticket.strip() if isinstance(ticket, str) else ""
        values = {"ticket": number[:TICKET_NUMBER_MAX]}
        if not number:
            return request.render("helpdesk_itims.tracking_page", {"values": values})
        if not self._check_rate_limit("tracking"):
            return request.render(
                "helpdesk_itims.tracking_page",
                {
                    "values": values,
                    "error": request.env._(
                        "Too many attempts from your connection. Please wait a few "
                        "minutes and try again."
                    ),
                },
                status=429,
            )
        ticket_sudo = self._find_tracked_ticket(number, national_id, token)
        if not ticket_sudo:
            return request.render(
                "helpdesk_itims.tracking_page",
                {
                    "values": values,
                    "error": request.env._(
                        "We found no ticket with that number and national ID. Check "
                        "both and try again."
                    ),
                },
                status=404,
            )
        return request.render(
            "helpdesk_itims.tracking_page",
            {"values": values, "ticket": self._tracking_values(ticket_sudo)},
        )

    def _find_tracked_ticket(self, number, national_id, token):
        if len(number) > TICKET_NUMBER_MAX or "\x00" in number:
            return None
        # sudo: visitors cannot read tickets; the ticket is shown only when the
        # secret that comes with it (national ID or access token) matches exactly
        ticket_sudo = (
            request.env["helpdesk.ticket"]
            .sudo()
            .search([("number", "=", number), ("company_id", "=", self._company().id)], limit=1)
        )
        if not ticket_sudo:
            return None
        if isinstance(token, str) and token:
            return ticket_sudo if self._same_secret(ticket_sudo.access_token, token) else None
        national_id = national_id.strip() if isinstance(national_id, str) else ""
        if self._same_secret(ticket_sudo.requester_national_id, national_id):
            return ticket_sudo
        return None

    @staticmethod
    def _same_secret(expected, given):
        """Constant-time comparison; bytes, as visitors may send any character."""
        if not expected or not given:
            return False
        return consteq(expected.encode(), given.encode())

    def _tracking_values(self, ticket_sudo):
        tz = self._visitor_tz()

        def when(value):
            return format_datetime(request.env, value, tz=tz, dt_format="medium") if value else ""

        state = ticket_sudo.itims_state or "registered"
        # the labels of the four ITIMS states, translated once on the stage field
        labels = dict(
            request.env["helpdesk.ticket.stage"]
            ._fields["itims_state"]
            ._description_selection(request.env)
        )
        closed = state in ("resolved", "cancelled")
        in_progress_reached = state == "in_progress" or (closed and bool(ticket_sudo.assigned_date))
        final = "cancelled" if state == "cancelled" else "resolved"
        steps = [
            {
                "key": "registered",
                "label": labels.get("registered"),
                "date": when(ticket_sudo.create_date),
                "done": True,
            },
            {
                "key": "in_progress",
                "label": labels.get("in_progress"),
                "date": when(ticket_sudo.assigned_date) if in_progress_reached else "",
                "done": in_progress_reached,
            },
            {
                "key": final,
                "label": labels.get(final),
                "date": when(ticket_sudo.closed_date or ticket_sudo.last_stage_update)
                if closed
                else "",
                "done": closed,
            },
        ]
        user_name = ticket_sudo.user_id.name or ""
        return {
            "number": ticket_sudo.number,
            "title": ticket_sudo.name,
            "category": ticket_sudo.category_id.name or "",
            "state": state,
            "state_label": labels.get(state, ""),
            "steps": steps,
            "technician": user_name.split()[0] if user_name else "",
            "resolution_notes": ticket_sudo.resolution_notes if closed else "",
        }
