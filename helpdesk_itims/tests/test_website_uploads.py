"""Files attached on /soporte/enviar (issue 13 item 2), and attempts counted when
the request fails (item 1), through the real HTTP stack. Failures are injected
in PostgreSQL itself (a trigger on the table the creation writes), so the
controller, the ORM and Odoo's request replay run exactly as in production."""

import io
import os
import random
import re
import struct
import zlib

from PIL import Image

from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_website_intake import PDF, PNG, ItimsWebsiteCase

QUIET_LOGGERS = (
    "odoo.http",
    "odoo.service.model",
    "odoo.sql_db",
    "odoo.addons.helpdesk_itims.controllers.intake",
)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width, height):
    """A valid PNG file of a few dozen bytes whose header claims width x height."""
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00"))
        + png_chunk(b"IEND", b"")
    )


def multipart(parts, boundary=b"itimsBoundary7MA4YWxkTrZu0gW"):
    """A multipart/form-data body as raw bytes (any byte in names, filenames and
    values, which an HTTP client library would escape): ``parts`` is a list of
    (name, filename or None, value) of bytes. Returns (body, headers)."""
    body = b""
    for name, filename, value in parts:
        disposition = b'form-data; name="' + name + b'"'
        if filename is not None:
            disposition += b'; filename="' + filename + b'"'
        body += b"--" + boundary + b"\r\nContent-Disposition: " + disposition + b"\r\n"
        if filename is not None:
            body += b"Content-Type: application/octet-stream\r\n"
        body += b"\r\n" + value + b"\r\n"
    body += b"--" + boundary + b"--\r\n"
    return body, {"Content-Type": "multipart/form-data; boundary=" + boundary.decode()}


def unique_png():
    """A real PNG no other test stores: its file in the file store is ours."""
    image = Image.new("RGB", (4, 4), tuple(random.randrange(256) for _i in range(3)))
    image.putpixel((0, 0), tuple(random.randrange(256) for _i in range(3)))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=None)
    return buffer.getvalue() + os.urandom(0)


@tagged("post_install", "-at_install")
class TestWebsiteUploads(ItimsWebsiteCase):
    def setUp(self):
        super().setUp()
        self.filestore = self.env["ir.attachment"]._filestore()

    def _filestore_files(self):
        found = set()
        for dirpath, _dirs, filenames in os.walk(self.filestore):
            found.update(os.path.join(dirpath, name) for name in filenames)
        return found

    def _stored_path(self, content):
        checksum = self.env["ir.attachment"]._compute_checksum(content)
        return self.env["ir.attachment"]._full_path(f"{checksum[:2]}/{checksum}")

    def _ticket_attachments(self):
        tickets = self._tickets(requester_id=self.employee.id)
        return tickets, self.env["ir.attachment"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "in", tickets.ids or [0])]
        )

    def _fail_inserts(self, table, times, sqlstate):
        """Make the next ``times`` inserts into ``table`` fail with ``sqlstate``
        (the sequence is not transactional: a rolled back attempt counts)."""
        self.env.cr.execute(
            f"""
            CREATE SEQUENCE itims_test_fail_seq;
            CREATE FUNCTION itims_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF nextval('itims_test_fail_seq') <= {int(times)} THEN
                    RAISE EXCEPTION 'injected failure' USING ERRCODE = '{sqlstate}';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER itims_test_fail BEFORE INSERT ON {table}
                FOR EACH ROW EXECUTE FUNCTION itims_test_fail();
            """
        )

    def _submit_raw(self, data, files):
        """POST /soporte/enviar with raw filenames (NUL included)."""
        parts = [(b"csrf_token", None, self._csrf().encode())]
        parts += [(key.encode(), None, value.encode()) for key, value in data.items()]
        parts += [(b"attachments", name.encode(), content) for name, content in files]
        body, headers = multipart(parts)
        return self.url_open("/soporte/enviar", data=body, headers=headers)

    def _attachments_error(self, response):
        match = re.search(
            r'id="itims_attachments_error"[^>]*>(.*?)</div>', response.text, re.DOTALL
        )
        self.assertTrue(match, "an error on the attachments field")
        return match.group(1)

    def _submit_counter(self):
        counter = self.env["itims.rate.limit"].search([("scope", "=", "submit")])
        return sum(counter.mapped("count"))

    def test_decompression_bomb_refused(self):
        bomb = png_claiming(20000, 10000)
        self.assertLess(len(bomb), 80)
        for name, content in (
            ("20000x10000", bomb),
            ("13000x13000", png_claiming(13000, 13000)),
            ("just over 40 MP", png_claiming(8000, 5001)),
        ):
            with self.subTest(image=name):
                before = self._filestore_files()
                files = [("attachments", ("foto.png", content, "image/png"))]
                response = self._submit(self._valid_data(), files=files)
                self.assertEqual(response.status_code, 400)
                self.assertIn('id="itims_attachments_error"', response.text)
                # the 40-megapixel message (English or Spanish: the visitor's language)
                self.assertRegex(self._attachments_error(response), "40 (megapixels|megapíxeles)")
                self.assertNotIn("Traceback", response.text)
                tickets, attachments = self._ticket_attachments()
                self.assertFalse(tickets)
                self.assertFalse(attachments)
                self.assertEqual(self._filestore_files(), before)
        # 40 megapixels exactly is accepted
        files = [("attachments", ("foto.png", png_claiming(8000, 5000), "image/png"))]
        self.assertEqual(self._submit(self._valid_data(), files=files).status_code, 200)

    def test_unreadable_image_refused(self):
        broken = PNG[:40] + b"\x00" * 40  # a PNG signature, then garbage
        files = [("attachments", ("foto.png", broken, "image/png"))]
        response = self._submit(self._valid_data(), files=files)
        self.assertEqual(response.status_code, 400)
        self.assertIn('id="itims_attachments_error"', response.text)
        self.assertRegex(self._attachments_error(response), "could not be read|No se pudo leer")
        self.assertFalse(self._ticket_attachments()[0])

    def test_filenames_cleaned_and_extension_from_content(self):
        cases = [
            ("evidence.hta", PNG, "evidence.png"),
            ("fo\x00to\u202egnp.exe", unique_png(), "fotognp.png"),
            ("a\x1bb\x7fc\u2066d\u2069.PDF", PDF, "abcd.pdf"),
        ]
        before = self._filestore_files()
        response = self._submit_raw(
            self._valid_data(), [(name, content) for name, content, _s in cases]
        )
        self.assertEqual(response.status_code, 200)
        tickets, attachments = self._ticket_attachments()
        self.assertEqual(len(tickets), 1)
        self.assertEqual(
            sorted(attachments.mapped("name")), sorted(stored for _n, _c, stored in cases)
        )
        self.assertEqual(
            {a.name: a.mimetype for a in attachments},
            {
                "evidence.png": "image/png",
                "fotognp.png": "image/png",
                "abcd.pdf": "application/pdf",
            },
        )
        # the only new files are the attachments' own
        new_files = self._filestore_files() - before
        self.assertLessEqual(
            {p for p in new_files if "/checklist/" not in p},
            {self._stored_path(content) for _n, content, _s in cases},
        )

    def test_replayed_request_reads_every_file(self):
        """Odoo replays a request after a serialization failure; the 2nd and 3rd
        files of the field must be read again from their start."""
        contents = [unique_png(), PDF, unique_png()]
        files = [
            ("attachments", (f"f{index}.bin", content, "application/octet-stream"))
            for index, content in enumerate(contents)
        ]
        self._fail_inserts("helpdesk_ticket", 1, "40001")
        with mute_logger(*QUIET_LOGGERS):
            response = self._submit(self._valid_data(), files=files)
        self.assertEqual(response.status_code, 200, response.text[:300])
        tickets, attachments = self._ticket_attachments()
        self.assertEqual(len(tickets), 1)
        self.assertEqual(sorted(attachments.mapped("raw")), sorted(contents))

    def test_failed_creation_leaves_nothing(self):
        """Any failure while the ticket and its attachments are stored leaves no
        ticket, no attachment and no file; the attempt is counted."""
        content = unique_png()
        path = self._stored_path(content)
        before = self._filestore_files()
        self._fail_inserts("ir_attachment", 1, "P0001")
        files = [("attachments", ("foto.png", content, "image/png"))]
        with mute_logger(*QUIET_LOGGERS):
            response = self._submit(self._valid_data(), files=files)
        self.assertEqual(response.status_code, 503)
        self.assertIn('id="itims_form_errors"', response.text)
        self.assertNotIn("Traceback", response.text)
        tickets, attachments = self._ticket_attachments()
        self.assertFalse(tickets)
        self.assertFalse(attachments)
        self.assertFalse(self.env["ir.attachment"].search([("name", "=", "foto.png")]))
        self.assertFalse(os.path.exists(path), "the file written before the failure is gone")
        self.assertEqual(self._filestore_files(), before)
        self.assertFalse(
            self.env["mail.mail"].search([("model", "=", "helpdesk.ticket"), ("res_id", "=", 0)])
        )
        self.assertEqual(self._submit_counter(), 1)
        # and the next submission works
        response = self._submit(self._valid_data(), files=files)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(os.path.exists(path))
