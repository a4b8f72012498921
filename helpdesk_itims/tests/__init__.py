from . import test_website_intake
from . import test_website_tracking
