from . import training_session_create_wizard
