"""The knowledge base the assistant and the public FAQ page answer from.

Search is PostgreSQL full-text search in the ``itims_es`` configuration, made
by :meth:`ItimsFaq.init`: Spanish stemming after ``unaccent`` when that
extension can be created, plain Spanish otherwise. The indexed document is
also unaccented and lowercased in Python, so both configurations match
"contrasena" with "contraseña". When full text finds nothing (typos),
trigram word similarity (pg_trgm) ranks the FAQs, or ILIKE on each word when
the extension is missing.
"""

import logging
import re

import lxml.etree
import lxml.html

from odoo import api, fields, models
from odoo.tools import SQL, html2plaintext, mute_logger

from ..services.sanitizer import normalize

_logger = logging.getLogger(__name__)

TS_CONFIG = "itims_es"
TRIGRAM_THRESHOLD = 0.3
QUERY_MAX = 300


class ItimsFaq(models.Model):
    _name = "itims.faq"
    _description = "IT Frequently Asked Question"
    _order = "sequence, id"

    name = fields.Char(string="Question", required=True, translate=False)
    answer = fields.Html(required=True, sanitize_style=True)
    keywords = fields.Char(help="Other words people use for this problem, comma separated.")
    category_id = fields.Many2one("helpdesk.ticket.category", ondelete="set null", index=True)
    is_published = fields.Boolean(string="Published", default=True, index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, default=lambda self: self.env.company)
    view_count = fields.Integer(string="Views", readonly=True, copy=False)
    helpful_count = fields.Integer(string="Helpful", readonly=True, copy=False)
    not_helpful_count = fields.Integer(string="Not Helpful", readonly=True, copy=False)
    helpful_rate = fields.Float(compute="_compute_helpful_rate", string="Helpful (%)")
    search_title = fields.Text(
        compute="_compute_search_document",
        store=True,
        help="Question and keywords, unaccented lowercase: ranked above the answer.",
    )
    search_document = fields.Text(
        compute="_compute_search_document",
        store=True,
        help="Question, keywords and answer as plain, unaccented lowercase text: "
        "what the full-text index reads.",
    )

    @api.depends("helpful_count", "not_helpful_count")
    def _compute_helpful_rate(self):
        for faq in self:
            votes = faq.helpful_count + faq.not_helpful_count
            faq.helpful_rate = 100.0 * faq.helpful_count / votes if votes else 0.0

    @api.depends("name", "keywords", "answer", "category_id.name")
    def _compute_search_document(self):
        for faq in self:
            parts = [
                faq.name or "",
                faq.keywords or "",
                faq.category_id.name or "",
                html2plaintext(faq.answer or ""),
            ]
            faq.search_document = normalize("\n".join(parts))
            faq.search_title = normalize("\n".join(parts[:2]))

    def init(self):
        cr = self.env.cr
        cr.execute("SELECT name FROM pg_available_extensions WHERE name IN ('unaccent', 'pg_trgm')")
        available = {row[0] for row in cr.fetchall()}
        for extension in sorted(available):
            try:
                # a database user without the right to create extensions gets
                # the plain fallback; the failure is expected, not an error
                with cr.savepoint(), mute_logger("odoo.sql_db"):
                    cr.execute(SQL("CREATE EXTENSION IF NOT EXISTS %s", SQL.identifier(extension)))
            except Exception as err:  # noqa: BLE001 - any refusal means "fall back"
                _logger.info(
                    "Extension %s not available (%s): FAQ search falls back", extension, err
                )
        installed = self._itims_extensions()
        cr.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [TS_CONFIG])
        if not cr.fetchone():
            cr.execute(
                SQL(
                    "CREATE TEXT SEARCH CONFIGURATION %s (COPY = pg_catalog.spanish)",
                    SQL.identifier(TS_CONFIG),
                )
            )
            if "unaccent" in installed:
                cr.execute(
                    SQL(
                        "ALTER TEXT SEARCH CONFIGURATION %s "
                        "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem",
                        SQL.identifier(TS_CONFIG),
                    )
                )
        cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS itims_faq_fts_idx ON itims_faq "
                "USING gin (to_tsvector(%s::regconfig, COALESCE(search_document, '')))",
                TS_CONFIG,
            )
        )
        if "pg_trgm" in installed:
            cr.execute(
                "CREATE INDEX IF NOT EXISTS itims_faq_trgm_idx ON itims_faq "
                "USING gin (search_document gin_trgm_ops)"
            )

    def _itims_extensions(self):
        self.env.cr.execute(
            "SELECT extname FROM pg_extension WHERE extname IN ('unaccent', 'pg_trgm')"
        )
        return {row[0] for row in self.env.cr.fetchall()}

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_publish(self):
        self.is_published = True

    def action_unpublish(self):
        self.is_published = False

    # ------------------------------------------------------------------
    # Search
    # ------------------------------------------------------------------

    @api.model
    def _itims_search(self, query, limit=5, company=None):
        """The published FAQs best matching ``query``, best first.

        Reads as the current user (the public user sees published FAQs only,
        through the record rules); the ranking itself is one SQL query.
        """
        # the sanitizer's labels ("[NOMBRE]") are not words of the question
        text = re.sub(r"\[[A-ZÁÉÍÓÚÑ]+\]", " ", str(query or ""))
        text = normalize(text)[:QUERY_MAX]
        words = re.findall(r"\w{2,}", text)
        if not words:
            return self.browse()
        company = company or self.env.company
        where = SQL(
            "faq.active AND faq.is_published AND (faq.company_id IS NULL OR faq.company_id = %s)",
            company.id,
        )
        self.flush_model(
            ["search_title", "search_document", "active", "is_published", "company_id"]
        )
        # any word may match (OR), the rank rewards the FAQs matching most of them
        self.env.cr.execute(
            SQL(
                """
                SELECT faq.id
                  FROM itims_faq faq,
                       CAST(NULLIF(replace(plainto_tsquery(%(cfg)s::regconfig, %(q)s)::text,
                                           ' & ', ' | '), '') AS tsquery) query
                 WHERE %(where)s
                   AND to_tsvector(%(cfg)s::regconfig, COALESCE(faq.search_document, '')) @@ query
              ORDER BY ts_rank(
                           setweight(to_tsvector(%(cfg)s::regconfig,
                                                 COALESCE(faq.search_title, '')), 'A')
                           || setweight(to_tsvector(%(cfg)s::regconfig,
                                                    COALESCE(faq.search_document, '')), 'D'),
                           query) DESC,
                       faq.sequence, faq.id
                 LIMIT %(limit)s
                """,
                cfg=TS_CONFIG,
                q=" ".join(words),
                where=where,
                limit=limit,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        if not ids:
            ids = self._itims_search_fuzzy(words, where, limit)
        found = self.search([("id", "in", ids)])
        return found.sorted(key=lambda faq: ids.index(faq.id))

    def _itims_search_fuzzy(self, words, where, limit):
        """Typo-tolerant fallback: trigram word similarity, else ILIKE per word."""
        if "pg_trgm" in self._itims_extensions():
            self.env.cr.execute(
                SQL(
                    """
                    SELECT faq.id
                      FROM itims_faq faq
                     WHERE %(where)s
                       AND word_similarity(%(q)s, faq.search_document) > %(threshold)s
                  ORDER BY word_similarity(%(q)s, faq.search_document) DESC, faq.sequence
                     LIMIT %(limit)s
                    """,
                    where=where,
                    q=" ".join(w for w in words if len(w) > 3) or " ".join(words),
                    threshold=TRIGRAM_THRESHOLD,
                    limit=limit,
                )
            )
        else:
            likes = SQL(" OR ").join(
                SQL("faq.search_document ILIKE %s", f"%{word}%") for word in words if len(word) > 3
            ) or SQL("FALSE")
            self.env.cr.execute(
                SQL(
                    "SELECT faq.id FROM itims_faq faq WHERE %s AND (%s) "
                    "ORDER BY faq.sequence, faq.id LIMIT %s",
                    where,
                    likes,
                    limit,
                )
            )
        return [row[0] for row in self.env.cr.fetchall()]

    def _itims_count(self, field):
        """Add one to a counter, atomically (no read-modify-write race)."""
        assert field in ("view_count", "helpful_count", "not_helpful_count")
        if not self:
            return
        self.env.cr.execute(
            SQL(
                "UPDATE itims_faq SET %s = COALESCE(%s, 0) + 1 WHERE id IN %s",
                SQL.identifier(field),
                SQL.identifier(field),
                tuple(self.ids),
            )
        )
        self.invalidate_recordset([field])

    def _itims_answer_text(self):
        """The answer as plain text, its lists kept as numbered steps."""
        self.ensure_one()
        if not self.answer:
            return ""
        try:
            root = lxml.html.fragment_fromstring(str(self.answer), create_parent="div")
        except (lxml.etree.ParserError, ValueError):
            return html2plaintext(self.answer).strip()
        lines = []
        for element in root.iter("p", "li", "h1", "h2", "h3", "h4", "pre"):
            if (
                element.tag == "p"
                and element.getparent() is not None
                and element.getparent().tag == "li"
            ):
                continue
            text = " ".join(element.text_content().split())
            if not text:
                continue
            if element.tag == "li":
                parent = element.getparent()
                if parent is not None and parent.tag == "ol":
                    text = f"{parent.index(element) + 1}. {text}"
                else:
                    text = f"- {text}"
            lines.append(text)
        return "\n".join(lines) or html2plaintext(self.answer).strip()
