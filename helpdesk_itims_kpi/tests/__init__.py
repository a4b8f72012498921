from . import test_kpi_summary
from . import test_sla_watch
from . import test_kpi_dashboard
from . import test_asset_failure
from . import test_kpi_volume
from . import test_kpi_analysis
from . import test_kpi_events
from . import test_rating
