from . import stock_return_picking
from . import survey_invite
