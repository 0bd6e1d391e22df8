from . import test_documentation
from . import test_i18n
from . import test_performance
from . import test_planning
from . import test_security
from . import test_session
from . import test_calendar_invitation
from . import test_portal
