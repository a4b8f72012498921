"""Rate limits of the public routes, counted in the database.

One row per scope, client and fixed time window holds the number of attempts
made. Every attempt is counted by one atomic upsert in a cursor of its own that
commits at once: a request that later fails (and rolls its transaction back)
still counted, and parallel requests cannot read the same count. The database,
not a worker's memory, keeps the count so the limit holds across all workers.
"""

import ipaddress
import logging
from datetime import datetime, timedelta, timezone

from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# scope -> (ir.config_parameter key, default "attempts/seconds")
RATE_LIMITS = {
    "lookup": ("helpdesk_itims.rate_limit_lookup", "30/600"),
    "submit": ("helpdesk_itims.rate_limit_submit", "10/600"),
    "tracking": ("helpdesk_itims.rate_limit_tracking", "20/600"),
}
# the longest window a setting may ask for; counters older than this are purged
MAX_WINDOW = timedelta(days=1)
MAX_ATTEMPTS = 1_000_000
CLIENT_MAX = 64


def client_key(address):
    """The key a client is counted under: its IPv4 address, or the /64 network of
    its IPv6 address (one subscriber gets a whole /64 and may use any address of
    it). Anything that is not an IP address counts as one client, "unknown"."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


class ItimsRateLimit(models.Model):
    _name = "itims.rate.limit"
    _description = "Public Route Attempts"
    _order = "window_start desc, id desc"
    _log_access = False

    scope = fields.Selection(
        selection=[
            ("lookup", "National ID Lookup"),
            ("submit", "Incident Submission"),
            ("tracking", "Ticket Tracking"),
        ],
        required=True,
        readonly=True,
    )
    client = fields.Char(
        required=True,
        readonly=True,
        help="IPv4 address, or IPv6 /64 network, of the client.",
    )
    window_start = fields.Datetime(required=True, readonly=True, index=True)
    count = fields.Integer(string="Attempts", required=True, readonly=True, default=0)

    _sql_constraints = [
        (
            "scope_client_window_uniq",
            "UNIQUE(scope, client, window_start)",
            "One counter per scope, client and window.",
        ),
    ]

    @api.model
    def _get_rate_limit(self, scope):
        """Return (attempts, seconds) allowed for ``scope``; attempts 0 = no limit.

        The value of the system parameter reads "attempts/seconds", e.g. "20/600",
        with a window of one second to one day. Anything else falls back to the
        default, with a warning in the log.
        """
        key, default = RATE_LIMITS[scope]
        value = self.env["ir.config_parameter"].sudo().get_param(key, default)
        try:
            attempts, seconds = (int(part) for part in str(value).split("/"))
            if not (0 <= attempts <= MAX_ATTEMPTS and 0 < seconds <= MAX_WINDOW.total_seconds()):
                raise ValueError(value)
        except ValueError:
            _logger.warning("Invalid value %r for %s, using %s", value, key, default)
            attempts, seconds = (int(part) for part in default.split("/"))
        return attempts, seconds

    @api.model
    def _window_start(self, seconds, now=None):
        """Start of the fixed window of ``seconds`` that contains ``now`` (UTC)."""
        now = now or fields.Datetime.now()
        epoch = int(now.replace(tzinfo=timezone.utc).timestamp())
        start = epoch - epoch % seconds
        return datetime.fromtimestamp(start, tz=timezone.utc).replace(tzinfo=None)

    @api.model
    def _hit(self, scope, client):
        """Count one attempt of ``client`` on ``scope``, committed at once.

        :return: False when this attempt is over the limit of the window (the
            attempt is counted all the same), True otherwise.
        """
        attempts, seconds = self._get_rate_limit(scope)
        if not attempts:
            return True
        client = (client or "unknown")[:CLIENT_MAX]
        window_start = self._window_start(seconds)
        registry = self.env.registry
        with registry.cursor() as cr:
            if not registry.in_test_mode():
                # one statement that waits for a parallel upsert of the same row and
                # then adds to its committed count; under REPEATABLE READ it would
                # fail with a serialization error instead
                cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
            cr.execute(
                SQL(
                    """
                    INSERT INTO itims_rate_limit (scope, client, window_start, count)
                    VALUES (%s, %s, %s, 1)
                    ON CONFLICT (scope, client, window_start)
                    DO UPDATE SET count = itims_rate_limit.count + 1
                    RETURNING count
                    """,
                    scope,
                    client,
                    window_start,
                )
            )
            count = cr.fetchone()[0]
        if count > attempts:
            _logger.info("Rate limit reached on %s for %s (%s attempts)", scope, client, count)
            return False
        return True

    @api.autovacuum
    def _gc_rate_limit(self):
        self.env.cr.execute(
            SQL(
                "DELETE FROM itims_rate_limit WHERE window_start < %s",
                fields.Datetime.now() - MAX_WINDOW,
            )
        )
