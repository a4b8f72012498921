from . import test_kpi_summary
