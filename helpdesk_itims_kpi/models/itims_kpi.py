# Copyright 2026 ITIMS contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The service indicators of DESIGN.md ("KPI definitions"), computed from raw events.

One SQL statement per indicator family, each in its own method returning its
indicator and the counts behind it. The analysis SQL views reuse the same
expressions (``_kpi_response_start_sql``, ``_kpi_rating_sql``...), so a pivot's
totals and ``summary()`` cannot drift apart.
"""

import datetime

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.helpdesk_itims_telegram.models.itims_telegram_message import NOTIFICATION_KINDS

KPI_READER_GROUPS = ("helpdesk_itims.group_itims_manager", "helpdesk_itims.group_itims_monitor")
CHATBOT_ANSWERED = ("answered_model", "answered_faq")


def _pct(part, whole):
    """part / whole in percent rounded to two decimals; None without a denominator."""
    return round(100.0 * part / whole, 2) if whole else None


def _rpc_safe(values):
    """None -> False in a dict (XML-RPC marshals no None)."""
    return {key: False if value is None else value for key, value in values.items()}


def _round(value):
    return None if value is None else round(float(value), 2)


class ItimsKpi(models.AbstractModel):
    _name = "itims.kpi"
    _description = "ITIMS Service Indicators"

    # ------------------------------------------------------------------ API
    @api.model
    @api.readonly
    def summary(self, date_from, date_to, office_ids=None):
        """Every indicator over the tickets created in [date_from, date_to].

        ``date_from``/``date_to`` are calendar days (``"2026-03-01"`` or date)
        read in the user's time zone, both included; ``office_ids`` restricts to
        the tickets of those offices (``hr.department`` ids). Rates are percents
        rounded to two decimals, ``False`` when their denominator is zero; times are
        minutes. Only managers and monitors may call it (also over XML-RPC); the
        caller's allowed companies bound the tickets read. An indicator that cannot
        be computed is ``False``, not ``None``: Odoo's XML-RPC does not marshal None.
        """
        self._kpi_check_reader()
        period = self._kpi_period(date_from, date_to, office_ids)
        result = {
            "date_from": fields.Date.to_string(period["date_from"]),
            "date_to": fields.Date.to_string(period["date_to"]),
            "office_ids": list(period["office_ids"] or []),
        }
        for family in (
            self._kpi_resolution,
            self._kpi_response,
            self._kpi_notification,
            self._kpi_chatbot,
            self._kpi_satisfaction,
            self._kpi_sla,
            self._kpi_fairness,
        ):
            result.update(family(period))
        return _rpc_safe(result)

    # ------------------------------------------------------------- helpers
    def _kpi_check_reader(self):
        user = self.env.user
        if self.env.su or any(user.has_group(group) for group in KPI_READER_GROUPS):
            return
        raise AccessError(self.env._("Only ITIMS managers and monitors may read the indicators."))

    def _kpi_tz(self):
        return pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")

    @api.model
    def _kpi_period(self, date_from, date_to, office_ids=None):
        """The period's bounds as naive UTC datetimes [start, stop) plus its filters."""
        try:
            day_from = fields.Date.to_date(date_from)
            day_to = fields.Date.to_date(date_to)
        except (TypeError, ValueError) as err:
            raise UserError(self.env._("Dates must be written YYYY-MM-DD.")) from err
        if not day_from or not day_to:
            raise UserError(self.env._("Both dates of the period are required."))
        if day_from > day_to:
            raise UserError(self.env._("The period ends before it starts."))
        if office_ids and not (
            isinstance(office_ids, list | tuple)
            and all(isinstance(oid, int) and not isinstance(oid, bool) for oid in office_ids)
        ):
            raise UserError(self.env._("Offices must be given as a list of ids."))
        tz = self._kpi_tz()

        def utc(day):
            local = tz.localize(datetime.datetime.combine(day, datetime.time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return {
            "date_from": day_from,
            "date_to": day_to,
            "start": utc(day_from),
            "stop": utc(day_to + datetime.timedelta(days=1)),
            "office_ids": tuple(office_ids) if office_ids else None,
            "company_ids": tuple(self.env.companies.ids),
        }

    @api.model
    def _kpi_ticket_where(self, period, alias="t"):
        """The condition selecting the period's tickets (created in it, active, of
        the caller's companies, of the offices asked for)."""
        t = SQL.identifier(alias)
        where = SQL(
            "%s.active AND %s.create_date >= %s AND %s.create_date < %s AND %s.company_id IN %s",
            t,
            t,
            period["start"],
            t,
            period["stop"],
            t,
            period["company_ids"],
        )
        if period["office_ids"]:
            where = SQL("%s AND %s.office_id IN %s", where, t, period["office_ids"])
        return where

    @api.model
    def _kpi_minutes_sql(self, end, start):
        return SQL("EXTRACT(EPOCH FROM (%s - %s)) / 60.0", end, start)

    # ------------------------------------- expressions shared with the views
    @api.model
    def _kpi_telegram_available(self):
        return "itims.telegram.message" in self.env

    @api.model
    def _kpi_chatbot_available(self):
        return "itims.chatbot.interaction" in self.env

    @api.model
    def _kpi_response_start_sql(self, alias="t"):
        """t0 of a ticket's response time: its first Telegram notification sent,
        else its creation (DESIGN.md). Without the Telegram addon: its creation."""
        t = SQL.identifier(alias)
        if not self._kpi_telegram_available():
            return SQL("%s.create_date", t)
        return SQL(
            """COALESCE((SELECT MIN(m.sent_at) FROM %s m
                          WHERE m.ticket_id = %s.id AND m.kind IN %s), %s.create_date)""",
            SQL.identifier(self.env["itims.telegram.message"]._table),
            t,
            NOTIFICATION_KINDS,
            t,
        )

    @api.model
    def _kpi_rating_sql(self, alias="t"):
        """The requester's rating of a ticket (1..5): the last one given, or NULL."""
        return SQL(
            """(SELECT r.rating FROM rating_rating r
                 WHERE r.res_model = 'helpdesk.ticket' AND r.res_id = %s.id
                   AND r.consumed AND r.rating BETWEEN 1 AND 5
                 ORDER BY r.write_date DESC, r.id DESC LIMIT 1)""",
            SQL.identifier(alias),
        )

    @api.model
    def _kpi_sla_met_sql(self, alias="t"):
        """1 when every SLA line of the ticket was accomplished, 0 when one was not,
        NULL when it has no SLA line."""
        return SQL(
            """(SELECT CASE WHEN bool_and(s.state = 'accomplished') THEN 1 ELSE 0 END
                  FROM helpdesk_ticket_sla s WHERE s.ticket_id = %s.id HAVING COUNT(*) > 0)""",
            SQL.identifier(alias),
        )

    # ---------------------------------------------------- indicator families
    def _kpi_fetch(self, query):
        self.env.flush_all()
        self.env.cr.execute(query)
        return self.env.cr.dictfetchone()

    def _kpi_resolution(self, period):
        row = self._kpi_fetch(
            SQL(
                """
                SELECT COUNT(*) AS tickets,
                       COUNT(*) FILTER (WHERE t.itims_state = 'resolved') AS resolved,
                       COUNT(*) FILTER (WHERE t.itims_state = 'cancelled') AS cancelled,
                       COUNT(*) FILTER (WHERE t.itims_state = 'resolved'
                                          AND t.closed_date IS NOT NULL) AS timed,
                       AVG(%s) FILTER (WHERE t.itims_state = 'resolved') AS avg_minutes
                  FROM helpdesk_ticket t
                 WHERE %s
                """,
                self._kpi_minutes_sql(SQL("t.closed_date"), SQL("t.create_date")),
                self._kpi_ticket_where(period),
            )
        )
        return {
            "tickets": row["tickets"],
            "resolved_tickets": row["resolved"],
            "cancelled_tickets": row["cancelled"],
            "open_tickets": row["tickets"] - row["resolved"] - row["cancelled"],
            "resolution_rate": _pct(row["resolved"], row["tickets"]),
            "resolution_timed_tickets": row["timed"],
            "avg_resolution_minutes": _round(row["avg_minutes"]),
        }

    def _kpi_response(self, period):
        row = self._kpi_fetch(
            SQL(
                """
                SELECT COUNT(*) AS responded, AVG(%s) AS avg_minutes
                  FROM helpdesk_ticket t
                 WHERE %s AND t.first_response_date IS NOT NULL
                """,
                self._kpi_minutes_sql(SQL("t.first_response_date"), self._kpi_response_start_sql()),
                self._kpi_ticket_where(period),
            )
        )
        return {
            "responded_tickets": row["responded"],
            "avg_response_minutes": _round(row["avg_minutes"]),
        }

    def _kpi_notification(self, period):
        """Opened / sent Telegram notifications of the period's tickets (the
        telegram addon's notification kinds: edits and replies are not notifications)."""
        if not self._kpi_telegram_available():
            return {
                "notifications_sent": 0,
                "notifications_opened": 0,
                "notification_open_rate": None,
            }
        row = self._kpi_fetch(
            SQL(
                """
                SELECT COUNT(*) AS sent, COUNT(m.opened_at) AS opened
                  FROM %s m
                  JOIN helpdesk_ticket t ON t.id = m.ticket_id
                 WHERE m.sent_at IS NOT NULL AND m.kind IN %s AND %s
                """,
                SQL.identifier(self.env["itims.telegram.message"]._table),
                NOTIFICATION_KINDS,
                self._kpi_ticket_where(period),
            )
        )
        return {
            "notifications_sent": row["sent"],
            "notifications_opened": row["opened"],
            "notification_open_rate": _pct(row["opened"], row["sent"]),
        }

    def _kpi_chatbot(self, period):
        """Answered / all assistant interactions of the period, by their date (the
        interactions are anonymous: the office filter does not apply to them)."""
        if not self._kpi_chatbot_available():
            return {
                "chatbot_interactions": 0,
                "chatbot_answered": 0,
                "chatbot_answer_rate": None,
            }
        row = self._kpi_fetch(
            SQL(
                """
                SELECT COUNT(*) AS interactions,
                       COUNT(*) FILTER (WHERE i.outcome IN %s) AS answered
                  FROM %s i
                 WHERE i.date >= %s AND i.date < %s AND i.company_id IN %s
                """,
                CHATBOT_ANSWERED,
                SQL.identifier(self.env["itims.chatbot.interaction"]._table),
                period["start"],
                period["stop"],
                period["company_ids"],
            )
        )
        return {
            "chatbot_interactions": row["interactions"],
            "chatbot_answered": row["answered"],
            "chatbot_answer_rate": _pct(row["answered"], row["interactions"]),
        }

    def _kpi_satisfaction(self, period):
        row = self._kpi_fetch(
            SQL(
                """
                SELECT COUNT(x.rating) AS rated, AVG(x.rating) AS mean_rating
                  FROM (SELECT %s AS rating FROM helpdesk_ticket t WHERE %s) x
                """,
                self._kpi_rating_sql(),
                self._kpi_ticket_where(period),
            )
        )
        mean = row["mean_rating"]
        return {
            "rated_tickets": row["rated"],
            "avg_rating": _round(mean),
            "satisfaction_pct": None if mean is None else round(float(mean) / 5.0 * 100.0, 2),
        }

    def _kpi_sla(self, period):
        row = self._kpi_fetch(
            SQL(
                """
                SELECT COUNT(x.met) AS with_sla, COALESCE(SUM(x.met), 0) AS met
                  FROM (SELECT %s AS met FROM helpdesk_ticket t
                         WHERE %s AND t.itims_state = 'resolved') x
                """,
                self._kpi_sla_met_sql(),
                self._kpi_ticket_where(period),
            )
        )
        return {
            "sla_tickets": row["with_sla"],
            "sla_met_tickets": row["met"],
            "sla_compliance": _pct(row["met"], row["with_sla"]),
        }

    def _kpi_fairness(self, period):
        """Mean over ISO weeks of the population standard deviation of the tickets
        assigned per technician that week. The technicians of a week are the active
        internal members of the teams of the period's tickets, plus whoever was
        assigned one of them (a member who got nothing counts as 0). Weeks are
        those in which one of the period's tickets was assigned."""
        row = self._kpi_fetch(
            SQL(
                """
                WITH tickets AS (
                    SELECT t.team_id, t.user_id, date_trunc('week', t.assigned_date) AS week
                      FROM helpdesk_ticket t WHERE %s
                ), techs AS (
                    SELECT rel.res_users_id AS user_id
                      FROM helpdesk_ticket_team_res_users_rel rel
                      JOIN res_users u ON u.id = rel.res_users_id AND u.active AND NOT u.share
                     WHERE rel.helpdesk_ticket_team_id IN (SELECT team_id FROM tickets)
                     UNION
                    SELECT user_id FROM tickets WHERE user_id IS NOT NULL AND week IS NOT NULL
                ), weeks AS (
                    SELECT DISTINCT week FROM tickets
                     WHERE user_id IS NOT NULL AND week IS NOT NULL
                ), loads AS (
                    SELECT w.week, h.user_id,
                           (SELECT COUNT(*) FROM tickets x
                             WHERE x.week = w.week AND x.user_id = h.user_id) AS assigned
                      FROM weeks w CROSS JOIN techs h
                ), spread AS (
                    SELECT week, STDDEV_POP(assigned) AS std FROM loads GROUP BY week
                )
                SELECT (SELECT COUNT(*) FROM weeks) AS weeks,
                       (SELECT COUNT(*) FROM techs) AS technicians,
                       (SELECT AVG(std) FROM spread) AS mean_std
                """,
                self._kpi_ticket_where(period),
            )
        )
        return {
            "fairness_weeks": row["weeks"],
            "fairness_technicians": row["technicians"],
            "fairness_weekly_std": _round(row["mean_std"]),
        }

    # ------------------------------------------------------------ dashboard
    @api.model
    @api.readonly
    def dashboard_data(self, date_from, date_to, office_ids=None):
        """What the dashboard shows for a period: ``summary()`` of the period and of
        the previous period of the same length, one ``summary()`` per week of the
        period for the sparklines (at most 13 points), tickets per week and state,
        and mean resolution minutes per category."""
        self._kpi_check_reader()
        period = self._kpi_period(date_from, date_to, office_ids)
        days = (period["date_to"] - period["date_from"]).days + 1
        prev_to = period["date_from"] - datetime.timedelta(days=1)
        prev_from = prev_to - datetime.timedelta(days=days - 1)
        weeks = []
        start = period["date_from"]
        while start <= period["date_to"]:
            stop = min(start + datetime.timedelta(days=6), period["date_to"])
            weeks.append((start, stop))
            start = stop + datetime.timedelta(days=1)
        weeks = weeks[-13:]
        return {
            # the period's bounds in UTC, for the analysis views the cards open
            "start": fields.Datetime.to_string(period["start"]),
            "stop": fields.Datetime.to_string(period["stop"]),
            "current": self.summary(date_from, date_to, office_ids),
            "previous": self.summary(prev_from, prev_to, office_ids),
            "trend": [self.summary(start, stop, office_ids) for start, stop in weeks],
            "tickets_by_week": self._kpi_tickets_by_week(period),
            "resolution_by_category": self._kpi_resolution_by_category(period),
        }

    def _kpi_tickets_by_week(self, period):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT date_trunc('week', t.create_date)::date AS week,
                       COUNT(*) FILTER (WHERE t.itims_state = 'registered') AS registered,
                       COUNT(*) FILTER (WHERE t.itims_state = 'in_progress') AS in_progress,
                       COUNT(*) FILTER (WHERE t.itims_state = 'resolved') AS resolved,
                       COUNT(*) FILTER (WHERE t.itims_state = 'cancelled') AS cancelled
                  FROM helpdesk_ticket t
                 WHERE %s
                 GROUP BY 1 ORDER BY 1
                """,
                self._kpi_ticket_where(period),
            )
        )
        return [
            dict(row, week=fields.Date.to_string(row["week"])) for row in self.env.cr.dictfetchall()
        ]

    def _kpi_resolution_by_category(self, period):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT t.category_id, COUNT(*) AS resolved, AVG(%s) AS avg_minutes
                  FROM helpdesk_ticket t
                 WHERE %s AND t.itims_state = 'resolved'
                 GROUP BY 1 ORDER BY 3 DESC NULLS LAST
                """,
                self._kpi_minutes_sql(SQL("t.closed_date"), SQL("t.create_date")),
                self._kpi_ticket_where(period),
            )
        )
        rows = self.env.cr.dictfetchall()
        categories = self.env["helpdesk.ticket.category"].browse(
            [row["category_id"] for row in rows if row["category_id"]]
        )
        names = {category.id: category.display_name for category in categories}
        return [
            {
                "category_id": row["category_id"],
                "category": names.get(row["category_id"]) or self.env._("No category"),
                "resolved": row["resolved"],
                "avg_minutes": _round(row["avg_minutes"]) or 0.0,
            }
            for row in rows
        ]

    # ------------------------------------------------ technician performance
    @api.model
    @api.readonly
    def technician_performance(self, date_from, date_to, user_ids=None, team_id=None):
        """Per technician, over the tickets created in the period and assigned to
        them: tickets assigned and resolved, mean resolution and first-response
        minutes, SLA compliance, mean rating, share of the load of the technicians
        listed, and weeks over cap (ISO weeks in which more tickets were assigned to
        them than their cap of active tickets). ``user_ids`` or the members of
        ``team_id`` (else every assignee of the period)."""
        self._kpi_check_reader()
        period = self._kpi_period(date_from, date_to)
        users = self.env["res.users"]
        if user_ids:
            users = users.browse(user_ids).exists()
        elif team_id:
            users = self.env["helpdesk.ticket.team"].browse(team_id).user_ids
        where = self._kpi_ticket_where(period)
        if users:
            where = SQL("%s AND t.user_id IN %s", where, tuple(users.ids))
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH tickets AS (
                    SELECT t.id, t.user_id, t.itims_state, t.assigned_date,
                           %(resolution)s AS resolution, %(response)s AS response,
                           %(sla_met)s AS sla_met, %(rating)s AS rating
                      FROM helpdesk_ticket t
                     WHERE %(where)s AND t.user_id IS NOT NULL
                ), weeks AS (
                    SELECT x.user_id, COUNT(*) AS over_cap
                      FROM (SELECT k.user_id, date_trunc('week', k.assigned_date) AS week,
                                   COUNT(*) AS assigned
                              FROM tickets k WHERE k.assigned_date IS NOT NULL
                             GROUP BY 1, 2) x
                      JOIN res_users u ON u.id = x.user_id
                     WHERE x.assigned > COALESCE(u.itims_max_active_tickets, 0)
                       AND COALESCE(u.itims_max_active_tickets, 0) > 0
                     GROUP BY 1
                )
                SELECT k.user_id,
                       COUNT(*) AS assigned,
                       COUNT(*) FILTER (WHERE k.itims_state = 'resolved') AS resolved,
                       AVG(k.resolution) FILTER (WHERE k.itims_state = 'resolved')
                           AS avg_resolution_minutes,
                       AVG(k.response) AS avg_response_minutes,
                       COUNT(k.sla_met) FILTER (WHERE k.itims_state = 'resolved') AS sla_tickets,
                       COALESCE(SUM(k.sla_met) FILTER (WHERE k.itims_state = 'resolved'), 0)
                           AS sla_met_tickets,
                       COUNT(k.rating) AS rated, AVG(k.rating) AS avg_rating,
                       COALESCE(MAX(w.over_cap), 0) AS weeks_over_cap
                  FROM tickets k
                  LEFT JOIN weeks w ON w.user_id = k.user_id
                 GROUP BY k.user_id
                """,
                resolution=self._kpi_minutes_sql(SQL("t.closed_date"), SQL("t.create_date")),
                response=self._kpi_minutes_sql(
                    SQL("t.first_response_date"), self._kpi_response_start_sql()
                ),
                sla_met=self._kpi_sla_met_sql(),
                rating=self._kpi_rating_sql(),
                where=where,
            )
        )
        rows = {row["user_id"]: row for row in self.env.cr.dictfetchall()}
        users |= self.env["res.users"].browse(rows)
        total = sum(row["assigned"] for row in rows.values())
        result = []
        for user in users.sorted("name"):
            row = rows.get(user.id, {})
            result.append(
                _rpc_safe(
                    {
                        "user_id": user.id,
                        "name": user.name,
                        "assigned": row.get("assigned", 0),
                        "resolved": row.get("resolved", 0),
                        "avg_resolution_minutes": _round(row.get("avg_resolution_minutes")),
                        "avg_response_minutes": _round(row.get("avg_response_minutes")),
                        "sla_tickets": row.get("sla_tickets", 0),
                        "sla_compliance": _pct(
                            row.get("sla_met_tickets", 0), row.get("sla_tickets")
                        ),
                        "rated_tickets": row.get("rated", 0),
                        "avg_rating": _round(row.get("avg_rating")),
                        "load_share": _pct(row.get("assigned", 0), total),
                        "weeks_over_cap": row.get("weeks_over_cap", 0),
                    }
                )
            )
        return result
