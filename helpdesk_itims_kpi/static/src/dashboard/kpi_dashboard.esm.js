import {Component, onWillStart, useState} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {formatFloat} from "@web/views/fields/formatters";
import {serializeDate} from "@web/core/l10n/dates";
import {useService} from "@web/core/utils/hooks";

const {DateTime} = luxon;

/**
 * The service indicators of itims.kpi.summary() as cards: the value of the period, the
 * change against the previous period of the same length, a weekly sparkline; a click
 * opens the ticket analysis (or the weekly workload) filtered to the period.
 */
export class KpiDashboard extends Component {
    static template = "helpdesk_itims_kpi.KpiDashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        const today = DateTime.local();
        this.state = useState({
            dateFrom: serializeDate(today.minus({days: 29})),
            dateTo: serializeDate(today),
            // The office (hr.department) the figures are restricted to; 0: every office
            officeId: 0,
            offices: [],
            data: null,
        });
        onWillStart(async () => {
            // The departments of the user's companies (hr.department's own record rule)
            this.state.offices = await this.orm.searchRead(
                "hr.department",
                [],
                ["display_name"],
                {order: "name"}
            );
            await this.load();
        });
    }

    get officeIds() {
        return this.state.officeId ? [this.state.officeId] : false;
    }

    async load() {
        this.state.data = await this.orm.call(
            "itims.kpi",
            "dashboard_data",
            [this.state.dateFrom, this.state.dateTo],
            {office_ids: this.officeIds}
        );
    }

    async onChangeOffice(ev) {
        this.state.officeId = parseInt(ev.target.value, 10) || 0;
        await this.load();
    }

    async onChangeDate(field, ev) {
        if (!ev.target.value) {
            return;
        }
        this.state[field] = ev.target.value;
        if (this.state.dateFrom <= this.state.dateTo) {
            await this.load();
        }
    }

    get cardDefinitions() {
        return [
            {
                key: "resolution_rate",
                label: _t("Resolution rate"),
                unit: "%",
                better: "up",
                detail: (s) =>
                    _t("%(resolved)s of %(tickets)s tickets", {
                        resolved: s.resolved_tickets,
                        tickets: s.tickets,
                    }),
                measures: ["ticket_count", "resolved_count"],
            },
            {
                key: "avg_resolution_minutes",
                label: _t("Resolution time"),
                unit: "min",
                better: "down",
                detail: (s) =>
                    _t("%(count)s resolved", {count: s.resolution_timed_tickets}),
                measures: ["resolution_minutes", "resolved_count"],
            },
            {
                key: "avg_response_minutes",
                label: _t("Response time"),
                unit: "min",
                better: "down",
                detail: (s) => _t("%(count)s answered", {count: s.responded_tickets}),
                measures: ["response_minutes", "ticket_count"],
            },
            {
                key: "notification_open_rate",
                label: _t("Notifications opened"),
                unit: "%",
                better: "up",
                detail: (s) =>
                    _t("%(opened)s of %(sent)s sent", {
                        opened: s.notifications_opened,
                        sent: s.notifications_sent,
                    }),
                measures: ["ticket_count"],
            },
            {
                key: "chatbot_answer_rate",
                label: _t("Assistant answers"),
                unit: "%",
                better: "up",
                detail: (s) =>
                    _t("%(answered)s of %(total)s questions", {
                        answered: s.chatbot_answered,
                        total: s.chatbot_interactions,
                    }),
                measures: ["ticket_count"],
            },
            {
                key: "satisfaction_pct",
                label: _t("Satisfaction"),
                unit: "%",
                better: "up",
                detail: (s) => _t("%(count)s ratings", {count: s.rated_tickets}),
                measures: ["rating", "rated_count"],
            },
            {
                key: "sla_compliance",
                label: _t("SLA compliance"),
                unit: "%",
                better: "up",
                detail: (s) =>
                    _t("%(met)s of %(total)s with SLA", {
                        met: s.sla_met_tickets,
                        total: s.sla_tickets,
                    }),
                measures: ["sla_met_count", "sla_count"],
            },
            {
                key: "fairness_weekly_std",
                label: _t("Load spread (std. dev.)"),
                unit: "",
                better: "down",
                detail: (s) =>
                    _t("%(count)s technicians", {count: s.fairness_technicians}),
                workload: true,
            },
        ];
    }

    get cards() {
        const data = this.state.data;
        return this.cardDefinitions.map((card) => {
            const value = data.current[card.key];
            const previous = data.previous[card.key];
            let delta = null;
            let good = null;
            // Summary() gives false for an indicator it cannot compute
            if (value !== false && previous !== false) {
                delta = Math.round((value - previous) * 100) / 100;
                good = card.better === "up" ? delta >= 0 : delta <= 0;
            }
            return {
                ...card,
                value,
                previous,
                delta,
                good,
                detailText: card.detail(data.current),
                sparkline: this.sparkline(data.trend.map((s) => s[card.key])),
            };
        });
    }

    formatValue(value, unit) {
        if (value === false || value === null || value === undefined) {
            return "—";
        }
        const text = formatFloat(value, {digits: [16, 2], trailingZeros: false});
        return unit ? `${text} ${unit}` : text;
    }

    sparkline(values) {
        const points = values
            .map((value, index) => [index, value])
            .filter(
                ([, value]) => value !== false && value !== null && value !== undefined
            );
        if (points.length < 2) {
            return "";
        }
        const ys = points.map(([, value]) => value);
        const min = Math.min(...ys);
        const span = Math.max(...ys) - min || 1;
        const step = 100 / Math.max(values.length - 1, 1);
        return points
            .map(
                ([index, value]) =>
                    `${(index * step).toFixed(1)},${(28 - ((value - min) / span) * 26).toFixed(1)}`
            )
            .join(" ");
    }

    get weekBars() {
        const rows = this.state.data.tickets_by_week;
        const max = Math.max(
            1,
            ...rows.map((r) => r.registered + r.in_progress + r.resolved + r.cancelled)
        );
        return rows.map((row) => ({
            week: row.week,
            total: row.registered + row.in_progress + row.resolved + row.cancelled,
            parts: [
                {state: "resolved", count: row.resolved},
                {state: "in_progress", count: row.in_progress},
                {state: "registered", count: row.registered},
                {state: "cancelled", count: row.cancelled},
            ].map((part) => ({...part, height: (part.count / max) * 100})),
        }));
    }

    get categoryBars() {
        const rows = this.state.data.resolution_by_category;
        const max = Math.max(1, ...rows.map((r) => r.avg_minutes || 0));
        return rows.map((row) => ({
            ...row,
            width: ((row.avg_minutes || 0) / max) * 100,
        }));
    }

    periodDomain(field) {
        const {start, stop} = this.state.data;
        const domain = [
            [field, ">=", start],
            [field, "<", stop],
        ];
        if (this.state.officeId) {
            domain.push(["office_id", "=", this.state.officeId]);
        }
        return domain;
    }

    openCard(card) {
        if (card.workload) {
            this.action.doAction({
                type: "ir.actions.act_window",
                name: card.label,
                res_model: "itims.technician.workload",
                views: [
                    [false, "pivot"],
                    [false, "graph"],
                    [false, "list"],
                ],
                domain: [
                    ["week_start", ">=", this.state.dateFrom],
                    ["week_start", "<=", this.state.dateTo],
                ],
            });
            return;
        }
        this.action.doAction({
            type: "ir.actions.act_window",
            name: card.label,
            res_model: "itims.ticket.analysis",
            views: [
                [false, "pivot"],
                [false, "graph"],
                [false, "list"],
            ],
            domain: this.periodDomain("create_date"),
            context: {
                pivot_measures: card.measures,
                pivot_row_groupby: ["create_date:week"],
                graph_measure: card.measures[0],
            },
        });
    }
}

registry.category("actions").add("itims_kpi_dashboard", KpiDashboard);
