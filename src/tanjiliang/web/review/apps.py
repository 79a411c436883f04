"""Django app config: the review app (label ``tjreview``)."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "tanjiliang.web.review"
    label = "tjreview"
    verbose_name = _("审查与监管总览")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tanjiliang.web.review import signals  # noqa: F401 - connects the receivers
