from . import training_session_create_wizard
from . import training_lheo_export_wizard
from . import training_registration_wizard
from . import training_participant_export
from . import training_documentation_wizard
from . import training_contact_wizard
from . import training_attendance_correction_wizard
