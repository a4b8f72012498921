from . import itims_kpi
from . import helpdesk_ticket
from . import helpdesk_ticket_sla
from . import helpdesk_ticket_demo
from . import maintenance_equipment
