from . import rating
from . import tracking
