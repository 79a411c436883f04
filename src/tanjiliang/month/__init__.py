"""The monthly close (月度存证, issue 14): a month's activity, instruments and checks computed
from the readings, filed and frozen under a content hash, corrected as new versions."""

from tanjiliang.month.close import MonthRecord, close_month, month_status, verify_records

__all__ = ["MonthRecord", "close_month", "month_status", "verify_records"]
