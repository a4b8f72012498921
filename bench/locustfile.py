"""Locust users of ``make bench`` (run by bench/bench_all.py, headless, in its own venv).

Each user runs in a closed loop (no wait between tasks), as 8 people submitting one
after the other. A submission is two requests (the form page for the CSRF token and
the session, then the POST); besides locust's per-request rows, each user reports the
pair as one ``FLOW submission`` entry, which is what ``intake_rps`` and its baseline
read. Settings come from the environment (bench_all.py sets them):

- ``BENCH_IDS``: comma-separated national IDs of demo employees (intake);
- ``BENCH_CATEGORY``: the category id the forms submit;
- ``BENCH_PAGE``: the website page of ``PageUser``;
- ``BENCH_SESSION``: the session cookie of the portal user, logged in once by
  bench_all.py (Odoo's password hash takes seconds on a loaded 2-core machine: eight
  logins would eat the measurement).
"""

import itertools
import os
import re
import time

from locust import HttpUser, constant, task

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
NUMBER = re.compile(r"INC-\d{4}-\d+")
COUNTER = itertools.count()


def _flow(user, name, func):
    """Time ``func`` (several requests) and report it as one locust entry."""
    started = time.perf_counter()
    error = None
    try:
        func()
    except Exception as exc:  # noqa: BLE001 - reported to locust as a failure
        error = exc
    user.environment.events.request.fire(
        request_type="FLOW",
        name=name,
        response_time=(time.perf_counter() - started) * 1000,
        response_length=0,
        exception=error,
        context={},
    )


def _token(text):
    match = TOKEN.search(text)
    if not match:
        raise RuntimeError("no csrf_token in the form page")
    return match.group(1)


class IntakeUser(HttpUser):
    """ITIMS's public form: GET /soporte then POST /soporte/enviar (a new ticket)."""

    wait_time = constant(0)

    def on_start(self):
        self.ids = os.environ["BENCH_IDS"].split(",")
        self.category = os.environ["BENCH_CATEGORY"]

    def _submit(self):
        count = next(COUNTER)
        page = self.client.get("/soporte", name="GET /soporte")
        data = {
            "csrf_token": _token(page.text),
            "national_id": self.ids[(count * 7919) % len(self.ids)],
            "category_id": self.category,
            "title": f"Impresora sin conexión {count}",
            "description": "La impresora de la oficina no imprime desde esta mañana.",
        }
        with self.client.post(
            "/soporte/enviar", data=data, name="POST /soporte/enviar", catch_response=True
        ) as response:
            if response.status_code != 200 or not NUMBER.search(response.text):
                response.failure(f"no ticket number (HTTP {response.status_code})")
                raise RuntimeError("submission failed")

    @task
    def submission(self):
        _flow(self, "submission", self._submit)


class PortalUser(HttpUser):
    """helpdesk_mgmt alone: the demo portal user (logged in), GET /new/ticket, then
    POST /submitted/ticket and the ticket page it redirects to."""

    wait_time = constant(0)

    def on_start(self):
        self.category = os.environ["BENCH_CATEGORY"]
        self.client.cookies.set("session_id", os.environ["BENCH_SESSION"])

    def _submit(self):
        count = next(COUNTER)
        page = self.client.get("/new/ticket", name="GET /new/ticket")
        data = {
            "csrf_token": _token(page.text),
            "category": self.category,
            "subject": f"Impresora sin conexión {count}",
            "description": "La impresora de la oficina no imprime desde esta mañana.",
        }
        with self.client.post(
            "/submitted/ticket", data=data, name="POST /submitted/ticket", catch_response=True
        ) as response:
            if response.status_code != 200 or "/my/ticket/" not in response.url:
                response.failure(f"not on the ticket page (HTTP {response.status_code})")
                raise RuntimeError("submission failed")

    @task
    def submission(self):
        _flow(self, "submission", self._submit)


class HealthUser(HttpUser):
    """Odoo's cheapest route: no database."""

    wait_time = constant(0)

    @task
    def health(self):
        self.client.get("/web/health", name="GET /web/health")


class PageUser(HttpUser):
    """A plain website page rendered for the public user."""

    wait_time = constant(0)

    @task
    def page(self):
        self.client.get(os.environ.get("BENCH_PAGE", "/contactus"), name="GET page")
