from . import test_data_model
from . import test_security
from . import test_backend_ui
