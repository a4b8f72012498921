from . import intake
from . import tracking
