from . import itims_telegram_link_wizard
