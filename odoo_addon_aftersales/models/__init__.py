from . import aftersales_workflow_mixin
from . import res_company
from . import res_config_settings
from . import res_users
from . import aftersales_failure_category
from . import aftersales_ticket
