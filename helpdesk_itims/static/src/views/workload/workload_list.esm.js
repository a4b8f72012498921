import {onWillStart, onWillUnmount, useState} from "@odoo/owl";
import {ListController} from "@web/views/list/list_controller";
import {ListRenderer} from "@web/views/list/list_renderer";
import {listView} from "@web/views/list/list_view";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";

/**
 * The managers' workload board: the technicians' list, with the waiting queue of
 * each team above it, kept current through the bus: every assignment, release or
 * change of duty or cap sends "itims.workload/updated" to the managers and
 * monitors, and the board reloads (as Odoo's activity and discuss views do).
 */
export class WorkloadListController extends ListController {
    static template = "helpdesk_itims.WorkloadListView";

    setup() {
        super.setup();
        this.orm = useService("orm");
        this.busService = useService("bus_service");
        this.queues = useState({teams: []});
        this.onWorkloadUpdated = () => this.refresh();
        this.busService.subscribe("itims.workload/updated", this.onWorkloadUpdated);
        onWillUnmount(() =>
            this.busService.unsubscribe(
                "itims.workload/updated",
                this.onWorkloadUpdated
            )
        );
        onWillStart(() => this.loadQueues());
    }

    async loadQueues() {
        this.queues.teams = await this.orm.searchRead(
            "helpdesk.ticket.team",
            [["itims_assignment_method", "!=", false]],
            ["name", "itims_queue_count"],
            {order: "sequence, name"}
        );
    }

    async refresh() {
        const root = this.model.root;
        if (!root || root.editedRecord) {
            // Not loaded yet (a notification can come first), or never under the
            // manager's pen: the next change reloads
            return;
        }
        await Promise.all([this.model.load(), this.loadQueues()]);
    }

    openQueue(team) {
        return this.actionService.doAction(
            "helpdesk_itims.helpdesk_ticket_action_queue",
            {
                additionalContext: {search_default_team_id: team.id},
            }
        );
    }
}

// The columns a manager edits on the board; a click anywhere else on a row opens
// that technician's tickets
const EDITABLE_COLUMNS = ["itims_on_duty", "itims_max_active_tickets"];

export class WorkloadListRenderer extends ListRenderer {
    setup() {
        super.setup();
        this.actionService = useService("action");
    }

    async onCellClicked(record, column, ev) {
        if (
            column.type === "field" &&
            !EDITABLE_COLUMNS.includes(column.name) &&
            !this.props.list.editedRecord
        ) {
            return this.actionService.doAction("helpdesk_mgmt.helpdesk_ticket_action", {
                additionalContext: {
                    search_default_user_id: record.resId,
                    search_default_itims_in_progress: 1,
                },
            });
        }
        return super.onCellClicked(record, column, ev);
    }
}

export const workloadListView = {
    ...listView,
    Controller: WorkloadListController,
    Renderer: WorkloadListRenderer,
};

registry.category("views").add("itims_workload_list", workloadListView);
