from . import test_kpi_summary
from . import test_sla_watch
