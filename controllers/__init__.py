from . import portal
from . import certification_portal
from . import session_portal
from . import signature_portal
