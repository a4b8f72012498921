from odoo import api, fields, models


class IrActionsServer(models.Model):
    """A "Send Telegram" server action (as sms adds "Send SMS"): a message rendered
    on each record, queued in the Telegram outbox for the chosen recipients."""

    _inherit = "ir.actions.server"

    state = fields.Selection(
        selection_add=[("telegram", "Send Telegram")],
        ondelete={"telegram": "cascade"},
    )
    telegram_template = fields.Text(
        string="Telegram Message",
        translate=True,
        help="Rendered on each record, e.g. Ticket {{ object.number }}: "
        "{{ object.name }}. Telegram HTML: <b>, <i>, <a href>.",
    )
    telegram_recipients = fields.Selection(
        selection=[
            ("assignee", "Assigned user"),
            ("team", "Team members"),
            ("users", "Specific users"),
            ("team_chat", "Team group chat"),
            ("managers", "Managers"),
        ],
        default="assignee",
    )
    telegram_user_ids = fields.Many2many(
        "res.users",
        "ir_actions_server_itims_telegram_user_rel",
        string="Telegram Users",
    )

    @api.depends("state")
    def _compute_available_model_ids(self):
        telegram = self.filtered(lambda action: action.state == "telegram")
        if telegram:
            models_ = self.env["ir.model"].search([("transient", "=", False)])
            for action in telegram:
                action.available_model_ids = models_.ids
        return super(IrActionsServer, self - telegram)._compute_available_model_ids()

    def _run_action_telegram_multi(self, eval_context=None):
        records = eval_context.get("records") or eval_context.get("record")
        if not records or not self.telegram_template or self._is_recompute():
            return False
        Message = self.env["itims.telegram.message"]
        if not Message._itims_enabled():
            return False
        texts = self.env["mail.render.mixin"]._render_template(
            self.telegram_template, records._name, records.ids, engine="inline_template"
        )
        vals_list = []
        for record in records:
            ticket = record if record._name == "helpdesk.ticket" else None
            for user, chat in self._itims_telegram_targets(record):
                vals_list.append(
                    {
                        "chat_id": chat,
                        "user_id": user.id if user else False,
                        "ticket_id": ticket.id if ticket else False,
                        "kind": "action",
                        "text": texts[record.id],
                    }
                )
        Message._itims_enqueue(vals_list)
        return False

    def _itims_telegram_targets(self, record):
        """(user or None, chat id) of the recipients on ``record``, linked and
        not blocked."""
        # sudo: chat ids are private fields, read to address the message only
        record = record.sudo()
        team = record["team_id"] if "team_id" in record._fields else None
        kind = self.telegram_recipients
        if kind == "team_chat":
            chat = team and team.itims_telegram_chat_id
            return [(None, chat)] if chat else []
        users = self.env["res.users"]
        if kind == "assignee" and "user_id" in record._fields:
            users = record.user_id
        elif kind == "team" and team:
            users = team.user_ids
        elif kind == "users":
            users = self.telegram_user_ids
        elif kind == "managers":
            users = self.env.ref("helpdesk_itims.group_itims_manager").users
            if "company_id" in record._fields and record.company_id:
                users = users.filtered(lambda u: record.company_id in u.company_ids)
        return [
            (user, user.telegram_chat_id)
            for user in users.sudo()
            if user.telegram_chat_id and not user.itims_telegram_blocked
        ]
