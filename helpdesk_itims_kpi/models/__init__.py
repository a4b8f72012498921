from . import itims_kpi
