from . import itims_performance_report_wizard
