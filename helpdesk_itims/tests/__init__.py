from . import test_assignment
