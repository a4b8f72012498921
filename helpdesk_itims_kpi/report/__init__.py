from . import itims_ticket_analysis
from . import itims_technician_workload
from . import itims_asset_failure
from . import itims_notification_analysis
from . import itims_assistant_analysis
