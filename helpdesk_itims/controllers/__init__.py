from . import intake
from . import tracking
from . import helpdesk_mgmt_routes
from . import website_form
