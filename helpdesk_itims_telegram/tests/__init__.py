from . import test_outbox
from . import test_webhook
from . import test_polling_settings
from . import test_concurrency
from . import test_tours
