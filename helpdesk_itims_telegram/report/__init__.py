from . import itims_telegram_report
