from . import test_data_model
from . import test_security
from . import test_backend_ui
from . import test_demo_data
from . import test_assignment
from . import test_assignment_concurrency
from . import test_simulation
from . import test_workspace
