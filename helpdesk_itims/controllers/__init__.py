from . import main
from . import helpdesk_mgmt_routes
