from . import test_policy
from . import test_roles
from . import test_ticket
from . import test_return
from . import test_return_perf
from . import test_return_http
from . import test_form_buttons
from . import test_requisition
