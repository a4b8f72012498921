"""Werkzeug's cap on multipart form parts (CVE-2023-25577), through Odoo's HTTP stack.

Odoo 18 pins Werkzeug 2.2.2 on Python 3.11, whose multipart parser has no limit on the
number of parts: a small body with thousands of empty parts costs the server CPU and memory
for each. bootstrap.sh installs 2.2.3, which refuses more than 1000 parts with 413 before
any route runs. (On a website route Odoo renders that refusal with its generic error page,
answered as 418 since there is no `http_routing.413` template.)
"""

from importlib.metadata import version

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestMultipartPartsCap(HttpCase):
    def _post_parts(self, count):
        fields = {f"field_{index}": "x" for index in range(count)}
        evidence = {"attachments": ("evidence.txt", b"x", "text/plain")}
        return self.url_open("/soporte/enviar", data=fields, files=evidence)

    def test_werkzeug_has_the_fix(self):
        installed = tuple(int(part) for part in version("werkzeug").split(".")[:3])
        self.assertGreaterEqual(installed, (2, 2, 3))

    def test_too_many_parts_refused_before_any_route(self):
        tickets = self.env["helpdesk.ticket"].search_count([])
        response = self._post_parts(1500)
        # 2.2.2 parses every part and the route answers 400 (no CSRF token)
        self.assertIn(response.status_code, (413, 418))
        self.assertIn("Request Entity Too Large", response.text)
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), tickets)

    def test_an_ordinary_form_is_parsed(self):
        response = self._post_parts(20)
        self.assertNotEqual(response.status_code, 413)
        self.assertLess(response.status_code, 500)
