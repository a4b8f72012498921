import copy
import json
from urllib.parse import urlparse

from odoo.tests import new_test_user
from odoo.tests.common import _super_send

from odoo.addons.helpdesk_itims.tests.common import QUIET_CONTEXT, activate_spanish

from .fake_bot_api import FakeBotApi, fixture

PARAM = "helpdesk_itims_telegram.%s"
SECRET = "s3cr3t-webhook-token_for-tests"
GROUP_CHAT = "-1001234567890"


def update(name, **changes):
    """A fixture update, with top-level keys replaced."""
    data = copy.deepcopy(fixture(name))
    data.update(changes)
    return data


def callback_update(update_id, telegram_user_id, ticket, message_id, action="assign"):
    data = copy.deepcopy(fixture("update_callback_assign.json"))
    data["update_id"] = update_id
    query = data["callback_query"]
    query["id"] = f"cbq{update_id}"
    query["from"]["id"] = int(telegram_user_id)
    query["message"]["chat"]["id"] = int(telegram_user_id)
    query["message"]["message_id"] = message_id
    query["data"] = f"{action}:{getattr(ticket, 'id', ticket)}"
    return data


def text_update(update_id, telegram_user_id, text):
    data = copy.deepcopy(fixture("update_start_link.json"))
    data["update_id"] = update_id
    message = data["message"]
    message["from"]["id"] = int(telegram_user_id)
    message["chat"]["id"] = int(telegram_user_id)
    message["text"] = text
    message["entities"][0]["length"] = len(text.split()[0])
    return data


class TelegramCaseMixin:
    """A fake Bot API, a manual team (A, B linked; C not linked; D blocked; E off
    duty) and an automatic team (F linked), all speaking Spanish."""

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        """Requests to our fake servers on 127.0.0.1 keep the client's own timeout
        (Odoo's test handler raises any timeout under 10 s to 10 s)."""
        if urlparse(r.url).hostname == "127.0.0.1":
            return _super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    @classmethod
    def _setup_telegram(cls):
        cls.env = cls.env(context=dict(cls.env.context, **QUIET_CONTEXT))
        activate_spanish(cls.env, ("helpdesk_mgmt", "helpdesk_itims", "helpdesk_itims_telegram"))
        cls.fake = FakeBotApi().start()
        cls.addClassCleanup(cls.fake.stop)
        ICP = cls.env["ir.config_parameter"].sudo()
        for key, value in {
            "bot_token": cls.fake.token,
            "api_base_url": cls.fake.url,
            "webhook_secret": SECRET,
            "bot_username": "soporte_ti_bot",
            "timeout": "1",
            "receive_mode": "webhook",
        }.items():
            ICP.set_param(PARAM % key, value)
        ICP.set_param("web.base.url", "http://soporte.example.gob.pe")

        def tech(login, name, chat=None, **vals):
            user = new_test_user(
                cls.env,
                login=login,
                name=name,
                groups="helpdesk_itims.group_itims_technician",
                lang="es_ES",
                tz="America/Lima",
            )
            user.sudo().write({"telegram_chat_id": chat, **vals})
            return user

        cls.tech_a = tech("tg_rosa", "Rosa Quispe", "777000111")
        cls.tech_b = tech("tg_luis", "Luis Mamani", "777000222")
        cls.tech_c = tech("tg_carla", "Carla Huamán")
        cls.tech_d = tech("tg_diego", "Diego Rojas", "777000444", itims_telegram_blocked=True)
        cls.tech_e = tech("tg_elena", "Elena Paredes", "777000555", itims_on_duty=False)
        cls.tech_f = tech("tg_fabio", "Fabio Torres", "777000666")
        cls.manager = new_test_user(
            cls.env,
            login="tg_jefe",
            name="Jorge Salas",
            groups="helpdesk_itims.group_itims_manager",
            lang="es_ES",
        )
        cls.manager.sudo().telegram_chat_id = "777000999"
        Team = cls.env["helpdesk.ticket.team"]
        cls.team = Team.create(
            {
                "name": "Soporte Telegram",
                "itims_assignment_method": "manual",
                "itims_telegram_chat_id": GROUP_CHAT,
                "user_ids": [
                    (6, 0, (cls.tech_a | cls.tech_b | cls.tech_c | cls.tech_d | cls.tech_e).ids)
                ],
            }
        )
        cls.team_auto = Team.create(
            {
                "name": "Redes Telegram",
                "itims_assignment_method": "balanced",
                "user_ids": [(6, 0, cls.tech_f.ids)],
            }
        )
        cls.category = cls.env["helpdesk.ticket.category"].create({"name": "Impresoras"})
        cls.office = cls.env["hr.department"].create(
            {"name": "Oficina de Abastecimiento", "itims_office_code": "ABA-T"}
        )
        cls.requester = cls.env["hr.employee"].create(
            {
                "name": "Juan Pérez",
                "identification_id": "41234567",
                "department_id": cls.office.id,
            }
        )

    def _ticket(self, team=None, **vals):
        return self.env["helpdesk.ticket"].create(
            {
                "name": "La impresora no imprime",
                "description": "<p>La impresora del segundo piso no imprime.</p>",
                "team_id": (team or self.team).id,
                "category_id": self.category.id,
                "requester_id": self.requester.id,
                **vals,
            }
        )

    def _messages(self, ticket=None, **domain):
        Message = self.env["itims.telegram.message"].sudo()
        terms = [(key, "=", value) for key, value in domain.items()]
        if ticket:
            terms.append(("ticket_id", "in", ticket.ids))
        return Message.search(terms, order="id")

    def _send(self, limit=50):
        return self.env["itims.telegram.message"]._itims_send_pending(budget=20, limit=limit)

    @staticmethod
    def _buttons(payload):
        markup = payload["reply_markup"]
        if isinstance(markup, str):
            markup = json.loads(markup)
        return [button for row in markup["inline_keyboard"] for button in row]
