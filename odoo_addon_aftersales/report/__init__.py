from . import aftersales_report
