from . import itims_faq
from . import itims_chatbot_model_state
from . import itims_chatbot_interaction
from . import itims_chatbot
from . import itims_rate_limit
from . import hr_employee
from . import res_config_settings
