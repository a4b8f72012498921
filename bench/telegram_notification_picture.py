"""The README picture of a Telegram notification, rendered from the real payload.

On a throw-away copy of a database with the ITIMS addons and demo data installed, a
ticket is created in a Manual team for a demo requester; the addon queues its
notification and the exact sendMessage payload the sender would post
(``itims.telegram.message._itims_payload()``: text in Telegram HTML and the inline
keyboard) is drawn as Telegram's Android client shows it (an HTML mock: chat bubble,
bold/italic entities, buttons under the message), then photographed by headless
Chromium into helpdesk_itims_telegram/static/description/telegram_notification.png.

    . .cache/env; python bench/telegram_notification_picture.py --template <db>
"""

import argparse
import html
import json
import pathlib
import re
import subprocess
import tempfile
import uuid

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import config

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "helpdesk_itims_telegram" / "static" / "description" / "telegram_notification.png"
ALLOWED = re.compile(r"&lt;(/?)(b|i)&gt;")

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body {{ margin: 0; background: #8fb186; font-family: Roboto, 'Segoe UI', Arial, sans-serif; }}
.top {{ background: #517da2; color: #fff; padding: 14px 18px; font-size: 18px; }}
.top small {{ display: block; font-size: 13px; opacity: .8; }}
.chat {{ padding: 18px 14px; }}
.bubble {{ background: #fff; border-radius: 12px 12px 12px 4px; padding: 8px 12px 6px;
  max-width: 400px; font-size: 15px; line-height: 1.4; box-shadow: 0 1px 1px rgba(0,0,0,.15); }}
.time {{ color: #8d9aa6; font-size: 12px; text-align: right; }}
.keyboard {{ max-width: 424px; display: flex; gap: 4px; margin-top: 4px; }}
.keyboard div {{ flex: 1; background: rgba(52, 76, 58, .35); color: #fff; text-align: center;
  border-radius: 8px; padding: 9px 4px; font-size: 14px; font-weight: 500; }}
</style></head><body>
<div class="top">{bot}<small>bot</small></div>
<div class="chat"><div class="bubble">{text}<div class="time">{time}</div></div>
<div class="keyboard">{buttons}</div></div></body></html>"""


def telegram_html(text):
    """What Telegram's HTML parse mode shows: <b> and <i> kept, newlines as lines."""
    escaped = html.escape(html.unescape(text))
    return ALLOWED.sub(r"<\1\2>", escaped).replace("\n", "<br>")


def payload_from_database(template):
    db = f"picture_tg_{uuid.uuid4().hex[:8]}"
    subprocess.run(
        ["psql", "-d", "postgres", "-qc", f'CREATE DATABASE "{db}" TEMPLATE "{template}"'],
        check=True,
    )
    try:
        registry = odoo.modules.registry.Registry.new(db)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"lang": "es_ES"})
            ICP = env["ir.config_parameter"]
            ICP.set_param("helpdesk_itims_telegram.bot_token", "7000000001:PICTURE")
            ICP.set_param("web.base.url", "https://soporte.example.gob.pe")
            team = env.ref("helpdesk_itims.helpdesk_ticket_team_soporte_ti_demo")
            team.itims_assignment_method = "manual"
            requester = env["hr.employee"].search(
                [("identification_id", "!=", False), ("department_id", "!=", False)], limit=1
            )
            category = env.ref("helpdesk_itims.helpdesk_ticket_category_printer")
            ticket = env["helpdesk.ticket"].create(
                {
                    "name": "La impresora del segundo piso no imprime",
                    "description": "<p>Atasco de papel</p>",
                    "team_id": team.id,
                    "requester_id": requester.id,
                    "category_id": category.id,
                }
            )
            message = env["itims.telegram.message"].search(
                [("ticket_id", "=", ticket.id), ("user_id", "!=", False)], limit=1
            )
            payload = message._itims_payload()
            cr.rollback()
            return payload
    finally:
        odoo.sql_db.close_all()
        subprocess.run(
            ["psql", "-d", "postgres", "-qc", f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'],
            check=False,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--template", required=True, help="database with the demo data")
    parser.add_argument("--config", default=".cache/odoo.conf")
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "--log-level=warn"])
    payload = payload_from_database(args.template)
    print(json.dumps(payload, ensure_ascii=False, indent=1))
    buttons = "".join(
        f"<div>{html.escape(button['text'])}</div>"
        for row in payload["reply_markup"]["inline_keyboard"]
        for button in row
    )
    sent = re.search(r"(\d\d:\d\d)$", payload["text"].split("\n")[4])
    page = PAGE.format(
        bot="Soporte TI",
        text=telegram_html(payload["text"]),
        time=sent.group(1) if sent else "",
        buttons=buttons,
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "notification.html"
        path.write_text(page, encoding="utf-8")
        subprocess.run(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--screenshot={OUTPUT}",
                "--window-size=470,330",
                path.as_uri(),
            ],
            check=True,
            capture_output=True,
        )
    print(f"written {OUTPUT}")


if __name__ == "__main__":
    main()
