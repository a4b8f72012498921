"""Checks of the files a visitor attaches, made before anything is stored."""

import io
import os
import re

from PIL import Image

from odoo.tools.mimetypes import guess_mimetype

MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_SIZE = 5 * 1024 * 1024
# a larger image is refused before anything decodes it: Odoo sets PIL's
# LOAD_TRUNCATED_IMAGES process-wide, so a few bytes claiming 13000x13000 RGBA
# would decode into ~676 MB when ir.attachment resizes it
MAX_IMAGE_PIXELS = 40_000_000
# accepted types (sniffed from the content, never from the name) and the
# extensions a stored name may keep for each; the first one is the default
EXTENSIONS = {
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg", ".jpe"),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "application/pdf": (".pdf",),
}
FILENAME_MAX = 128
# control characters, bidi embeddings/overrides/isolates (U+202A-U+202E,
# U+2066-U+2069: "gpj.exe" shown as "exe.jpg") and lone surrogates, which
# PostgreSQL refuses
UNSAFE_FILENAME_CHARS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def sniff_mimetype(content):
    """The accepted type of ``content``, or None."""
    mimetype = guess_mimetype(content, default="application/octet-stream")
    return mimetype if content and mimetype in EXTENSIONS else None


def clean_filename(filename, mimetype):
    """The name a file is stored under: no directory, no control or bidi
    character, and the extension of its real type (``evidence.hta`` holding a
    PNG becomes ``evidence.png``)."""
    name = UNSAFE_FILENAME_CHARS.sub("", filename if isinstance(filename, str) else "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    stem, extension = os.path.splitext(name)
    extension = extension.lower()
    if extension not in EXTENSIONS[mimetype]:
        extension = EXTENSIONS[mimetype][0]
    stem = stem.strip(" .") or "attachment"
    return stem[: FILENAME_MAX - len(extension)] + extension


def image_problem(content):
    """Return None for a readable image of at most MAX_IMAGE_PIXELS, else
    "too_big" or "unreadable". Only the header is read, no pixel is decoded."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                return "too_big"
            # checks the structure (PNG chunk checksums...) without decoding pixels
            image.verify()
    except Image.DecompressionBombError:
        return "too_big"
    except Exception:  # noqa: BLE001 - PIL raises many types on crafted input
        return "unreadable"
    return None
