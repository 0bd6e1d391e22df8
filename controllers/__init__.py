from . import portal
from . import certification_portal
