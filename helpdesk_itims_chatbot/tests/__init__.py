from . import test_chatbot_ask
from . import test_chatbot_tour
from . import test_demo_data
from . import test_faq_page
from . import test_openrouter_client
from . import test_sanitizer
