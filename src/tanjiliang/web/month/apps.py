"""Django app config: the monthly close (label ``tjmonth``)."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonthConfig(AppConfig):
    name = "tanjiliang.web.month"
    label = "tjmonth"
    verbose_name = _("月度存证")
    default_auto_field = "django.db.models.BigAutoField"
