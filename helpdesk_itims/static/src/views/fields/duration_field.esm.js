import {Component} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {standardFieldProps} from "@web/views/fields/standard_field_props";

/**
 * A duration in hours, read by people: "2 d 4 h", "3 h 20 min", "12 min".
 * Working days are not assumed: a day is 24 hours, as the waiting time a
 * requester lives through.
 */
export function formatDuration(hours) {
    const minutes = Math.max(Math.round((hours || 0) * 60), 0);
    const days = Math.floor(minutes / 1440);
    const hoursLeft = Math.floor((minutes % 1440) / 60);
    const minutesLeft = minutes % 60;
    if (days) {
        return hoursLeft
            ? _t("%(days)s d %(hours)s h", {days, hours: hoursLeft})
            : _t("%(days)s d", {days});
    }
    if (hoursLeft) {
        return minutesLeft
            ? _t("%(hours)s h %(minutes)s min", {
                  hours: hoursLeft,
                  minutes: minutesLeft,
              })
            : _t("%(hours)s h", {hours: hoursLeft});
    }
    return _t("%(minutes)s min", {minutes: minutesLeft});
}

export class ItimsDurationField extends Component {
    static template = "helpdesk_itims.DurationField";
    static props = {...standardFieldProps};

    get formattedValue() {
        return formatDuration(this.props.record.data[this.props.name]);
    }
}

export const itimsDurationField = {
    component: ItimsDurationField,
    displayName: _t("Duration"),
    supportedTypes: ["float"],
};

registry.category("fields").add("itims_duration", itimsDurationField);
