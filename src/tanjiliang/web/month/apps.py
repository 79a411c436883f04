"""Django app config: the monthly close (label ``tjmonth``)."""

from __future__ import annotations

from django.apps import AppConfig


class MonthConfig(AppConfig):
    name = "tanjiliang.web.month"
    label = "tjmonth"
    verbose_name = "月度存证"
    default_auto_field = "django.db.models.BigAutoField"
