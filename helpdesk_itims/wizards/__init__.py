from . import helpdesk_ticket_close_wizard
from . import helpdesk_ticket_reopen_wizard
