"""Django app config: the review app (label ``tjreview``)."""

from __future__ import annotations

from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "tanjiliang.web.review"
    label = "tjreview"
    verbose_name = "审查与监管总览 / Reviews and overview"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tanjiliang.web.review import signals  # noqa: F401 - connects the receivers
