from . import res_config_settings
from . import res_users
from . import helpdesk_ticket_team
from . import itims_telegram_message
from . import itims_telegram_update
from . import helpdesk_ticket
from . import itims_assignment
from . import ir_actions_server
