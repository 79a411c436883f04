"""Keep a stored unit's overview row in step with the unit (every change raises its
revision and saves it, core/changes.py)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from tanjiliang.web.core.models import Unit

log = logging.getLogger(__name__)


@receiver(post_save, sender=Unit, dispatch_uid="tjreview-unit-summary")
def _unit_saved(sender: Any, instance: Unit, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return

    def refresh() -> None:
        from tanjiliang.web.review.summaries import refresh_unit

        try:
            refresh_unit(instance)
        except Exception:  # the overview row must never break an edit of the unit
            log.exception("overview row of unit %s", instance.pk)

    transaction.on_commit(refresh)
