from . import test_session
