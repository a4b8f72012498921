from . import test_data_model
from . import test_security
from . import test_backend_ui
from . import test_website_intake
from . import test_website_tracking
from . import test_demo_data
