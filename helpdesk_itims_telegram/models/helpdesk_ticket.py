"""What the technicians are told on Telegram about a ticket. The texts are QWeb
templates (data/telegram_templates.xml) the administrator may edit; this file
only chooses who gets which one, with which buttons."""

import json
import secrets

import pytz
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from odoo import fields, models

from odoo.addons.helpdesk_itims.controllers.intake import mask_name

TEMPLATES = {
    "new_ticket": "helpdesk_itims_telegram.message_new_ticket",
    "assigned": "helpdesk_itims_telegram.message_assigned",
    "reassigned": "helpdesk_itims_telegram.message_reassigned",
    "reopened": "helpdesk_itims_telegram.message_reopened",
    "sla_risk": "helpdesk_itims_telegram.message_sla_risk",
    "taken": "helpdesk_itims_telegram.message_taken",
}


def first_name(user):
    return (user.name or "").split(" ")[0]


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    itims_telegram_message_ids = fields.One2many(
        "itims.telegram.message",
        "ticket_id",
        string="Telegram Notifications",
        groups="helpdesk_itims.group_itims_manager",
    )

    # ------------------------------------------------------------------
    # Message building
    # ------------------------------------------------------------------

    def _itims_telegram_values(self, tz_name=None, **values):
        """What the texts show of this ticket; dates in ``tz_name`` (the recipient's
        time zone), else the company's."""
        self.ensure_one()
        ticket = self.sudo()
        tz = pytz.timezone(tz_name or self.env.company.partner_id.tz or "UTC")
        created = pytz.utc.localize(ticket.create_date or fields.Datetime.now()).astimezone(tz)
        return {
            "ticket": ticket,
            "requester": mask_name(ticket.requester_id.name or ticket.partner_name or ""),
            "date": created.strftime("%d/%m/%Y %H:%M"),
            **values,
        }

    def _itims_telegram_keyboard(self, action=None):
        """The "View ticket" button (the message's tracked link) and ``action``: "assign" or
        "release" (callback data ``assign:<id>``, 64 bytes at most)."""
        self.ensure_one()
        buttons = [InlineKeyboardButton(self._itims_label("view"), url="{link}")]
        if action:
            buttons.append(
                InlineKeyboardButton(self._itims_label(action), callback_data=f"{action}:{self.id}")
            )
        return InlineKeyboardMarkup([buttons]).to_dict()

    def _itims_label(self, name):
        labels = {
            "view": self.env._("View ticket"),
            "assign": self.env._("Assign to me"),
            "release": self.env._("Back to the queue"),
        }
        return labels[name]

    def _itims_telegram_content(self, kind, user=None, action=None, **values):
        """Text and buttons of a message of ``kind`` about this ticket, in ``user``'s
        language and time zone (the company's for a group chat). The buttons hold the
        placeholder ``{link}`` for the message's tracked link."""
        self.ensure_one()
        lang = (user and user.lang) or self.env.company.partner_id.lang or "es_ES"
        ticket = self.with_context(lang=lang)
        text = self.env["itims.telegram.message"]._itims_render(
            TEMPLATES[kind],
            lang=lang,
            **ticket._itims_telegram_values(tz_name=user and user.tz, **values),
        )
        return text, ticket._itims_telegram_keyboard(action)

    def _itims_telegram_message(self, kind, chat_id, user=None, action=None, **values):
        """Values of one queued message of ``kind`` about this ticket to ``chat_id``.

        Only what identifies the message is stored here: its text and buttons are
        rendered by the sender right before sending (``_itims_prepare``), so the
        transaction that queues it (a ticket's creation, a web request) does not
        render one template per recipient. ``values``: records the template shows
        besides the ticket (``new_user`` of a reassignment)."""
        self.ensure_one()
        return {
            "chat_id": chat_id,
            "user_id": user.id if user else False,
            "ticket_id": self.id,
            "kind": kind,
            "action": action or False,
            "render_values": json.dumps(
                {name: [record._name, record.id] for name, record in values.items()}
            )
            if values
            else False,
            # the message's own "View ticket" link, known before it is rendered
            "link_token": secrets.token_urlsafe(24),
        }

    def _itims_telegram_recipients(self, users):
        """(user, chat id) of the linked, unblocked users among ``users``."""
        return [
            (user, user.telegram_chat_id)
            for user in users.sudo()
            if user.telegram_chat_id and not user.itims_telegram_blocked
        ]

    # ------------------------------------------------------------------
    # Notifications
    # ------------------------------------------------------------------

    def _itims_telegram_notify_new(self):
        """A new ticket waits in a manual team's queue: every available member
        and the team's group chat get it with "View ticket" and "Assign to me"."""
        Message = self.env["itims.telegram.message"]
        if not Message._itims_enabled():
            return
        engine = self.env["itims.assignment"]
        vals_list = []
        for ticket in self.sudo():
            team = ticket.team_id
            if ticket.user_id or ticket.itims_state != "registered":
                continue
            if not team or team.itims_assignment_method != "manual":
                continue
            members = engine._technicians(team.user_ids).filtered("itims_on_duty")
            absent = engine._absent(members)
            members = members.filtered(lambda u, absent=absent: u.id not in absent)
            for user, chat in ticket._itims_telegram_recipients(members):
                vals_list.append(
                    ticket._itims_telegram_message("new_ticket", chat, user, action="assign")
                )
            if team.itims_telegram_chat_id:
                vals_list.append(
                    ticket._itims_telegram_message(
                        "new_ticket", team.itims_telegram_chat_id, action="assign"
                    )
                )
        Message._itims_enqueue(vals_list)

    def _itims_telegram_notify_user(self, kind, user, action=None, **values):
        """Tell ``user`` (when linked) about this ticket with message ``kind``."""
        Message = self.env["itims.telegram.message"]
        if not Message._itims_enabled():
            return
        vals_list = [
            ticket._itims_telegram_message(kind, chat, recipient, action=action, **values)
            for ticket in self.sudo()
            for recipient, chat in ticket._itims_telegram_recipients(user)
        ]
        Message._itims_enqueue(vals_list)

    def _itims_telegram_notify_sla_risk(self):
        """SLA at risk (raised by the KPI addon): the assignee, else the managers."""
        managers = self.env.ref("helpdesk_itims.group_itims_manager").sudo().users
        for ticket in self.sudo():
            recipients = ticket.user_id or managers.filtered(
                lambda u, t=ticket: t.company_id in u.company_ids
            )
            ticket._itims_telegram_notify_user("sla_risk", recipients)

    def _itims_telegram_taken(self, user):
        """``user`` took this ticket: every message that offered it now says who,
        and the ones not sent yet are not sent any more."""
        self.ensure_one()
        Message = self.env["itims.telegram.message"].sudo()
        offers = Message.search([("ticket_id", "=", self.id), ("kind", "=", "new_ticket")])
        offers.filtered(lambda m: m.state == "queued").write({"state": "cancelled"})
        vals_list = []
        for offer in offers.filtered(lambda m: m.state == "sent" and m.telegram_message_id):
            lang = offer.user_id.lang or self.env.company.partner_id.lang or "es_ES"
            taken = Message._itims_render(TEMPLATES["taken"], lang=lang, taker=first_name(user))
            text = f"{offer.text}\n{taken}"
            # keep the offer's own tracked link, drop "Assign to me"
            keyboard = None
            if offer.keyboard:
                markup = InlineKeyboardMarkup.de_json(json.loads(offer.keyboard), None)
                rows = [[b for b in row if b.url] for row in markup.inline_keyboard]
                keyboard = InlineKeyboardMarkup([row for row in rows if row]).to_dict()
            vals_list.append(
                {
                    "chat_id": offer.chat_id,
                    "user_id": offer.user_id.id,
                    "ticket_id": self.id,
                    "kind": "taken",
                    "method": "editMessageText",
                    "target_message_id": offer.telegram_message_id,
                    "text": text,
                    "keyboard": keyboard,
                    "priority": 20,
                }
            )
        Message._itims_enqueue(vals_list)
