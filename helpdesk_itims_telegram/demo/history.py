"""Demo notification history: what Telegram would have carried for the demo
tickets of helpdesk_itims (imported only when the demo data loads).

Every ticket the engine assigned got an "Assigned to you" message a few seconds
after its ``assigned_date``. Telegram has no read receipts and opening the
tracked link is a first response: a message counts as opened at the ticket's
first response when that came after the message (they opened it from Telegram),
else, for most messages, some minutes after it was sent (they had started from
the backend and looked at Telegram later); a few are never opened.
Deterministic (``random.Random``)."""

import random
from datetime import timedelta

from odoo.tools import SQL

SEED = 14
# share of the messages read after the technician had already answered in the backend
# (the ITIMS paper reports about 94 % of the notifications opened)
READ_LATER = 0.93


def generate_history(env):
    Ticket = env["helpdesk.ticket"].sudo().with_context(active_test=False)
    Message = env["itims.telegram.message"].sudo()
    rng = random.Random(SEED)
    tickets = Ticket.search(
        [("assigned_date", "!=", False), ("user_id", "!=", False)], order="assigned_date, id"
    )
    vals_list, created = [], []
    for ticket in tickets:
        chat = ticket.user_id.telegram_chat_id
        if not chat:
            continue
        sent = ticket.assigned_date + timedelta(seconds=rng.randint(2, 25))
        opened = None
        response = ticket.first_response_date
        if response and response >= sent:
            opened = response
            if rng.random() < 0.2:
                opened = response + timedelta(minutes=rng.randint(2, 45))
        elif rng.random() < READ_LATER:
            # the technician started from the backend and read the message later
            opened = sent + timedelta(minutes=rng.randint(1, 40))
        vals_list.append(
            {
                "chat_id": chat,
                "user_id": ticket.user_id.id,
                "ticket_id": ticket.id,
                "kind": "assigned",
                "text": ticket._itims_telegram_content("assigned", ticket.user_id)[0],
                "state": "sent",
                "attempts": 1,
                "next_attempt": sent,
                "sent_at": sent,
                "opened_at": opened,
                "telegram_message_id": 1000 + len(vals_list),
            }
        )
        created.append(ticket.assigned_date)
    messages = Message.create(vals_list)
    # queued when the ticket was assigned, not when the demo data was loaded
    for message, when in zip(messages, created, strict=True):
        env.cr.execute(
            SQL(
                "UPDATE itims_telegram_message SET create_date = %s, write_date = %s WHERE id = %s",
                when,
                message.sent_at,
                message.id,
            )
        )
    messages.invalidate_recordset(["create_date", "write_date"])
    return len(messages)
