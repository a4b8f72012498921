import logging
from datetime import timedelta

from odoo import api, fields, models, tools

_logger = logging.getLogger(__name__)

# scope -> (ir.config_parameter key, default "attempts/seconds")
RATE_LIMITS = {
    "lookup": ("helpdesk_itims.rate_limit_lookup", "30/600"),
    "submit": ("helpdesk_itims.rate_limit_submit", "10/600"),
    "tracking": ("helpdesk_itims.rate_limit_tracking", "20/600"),
}
# rows older than this are purged by the autovacuum, whatever the configured windows
PURGE_AFTER = timedelta(days=1)


class ItimsRateLimitLog(models.Model):
    """One row per attempt on a public route, per client IP and scope.

    Stored in the database (not in a worker's memory) so a limit holds across
    all the workers of the server, like auth_totp_mail_enforce's rate limits.
    """

    _name = "itims.rate.limit.log"
    _description = "Public Route Attempt"
    _order = "create_date desc, id desc"

    ip = fields.Char(string="Client IP", required=True, readonly=True)
    scope = fields.Selection(
        selection=[
            ("lookup", "National ID Lookup"),
            ("submit", "Incident Submission"),
            ("tracking", "Ticket Tracking"),
        ],
        required=True,
        readonly=True,
    )

    def init(self):
        res = super().init()
        tools.create_index(
            self.env.cr,
            "itims_rate_limit_log_scope_ip_create_date_index",
            self._table,
            ["scope", "ip", "create_date"],
        )
        return res

    @api.model
    def _get_rate_limit(self, scope):
        """Return (attempts, seconds) allowed for ``scope``; attempts 0 = no limit.

        The value of the system parameter reads "attempts/seconds", e.g. "20/600".
        """
        key, default = RATE_LIMITS[scope]
        value = self.env["ir.config_parameter"].sudo().get_param(key, default)
        try:
            attempts, seconds = (int(part) for part in value.split("/"))
            if attempts < 0 or seconds <= 0:
                raise ValueError(value)
        except ValueError:
            _logger.warning("Invalid value %r for %s, using %s", value, key, default)
            attempts, seconds = (int(part) for part in default.split("/"))
        return attempts, seconds

    @api.model
    def _check_rate_limit(self, scope, ip):
        """Record one attempt of ``ip`` on ``scope``.

        :return: False (and record nothing) when the IP already made the allowed
            number of attempts within the window, True otherwise.
        """
        attempts, seconds = self._get_rate_limit(scope)
        if not attempts:
            return True
        since = fields.Datetime.now() - timedelta(seconds=seconds)
        count = self.search_count(
            [("scope", "=", scope), ("ip", "=", ip), ("create_date", ">=", since)]
        )
        if count >= attempts:
            _logger.info("Rate limit reached on %s for %s", scope, ip)
            return False
        self.create({"scope": scope, "ip": ip})
        return True

    @api.autovacuum
    def _gc_rate_limit_log(self):
        limit = fields.Datetime.now() - PURGE_AFTER
        windows = [self._get_rate_limit(scope)[1] for scope in RATE_LIMITS]
        limit = min(limit, fields.Datetime.now() - timedelta(seconds=max(windows)))
        self.search([("create_date", "<", limit)]).unlink()
