"""``{{ unit|as_of }}``: the date a unit's pages are assessed on (issue 11; assessing.py
:func:`default_as_of`), shown in every unit page's header."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template

register = template.Library()


@register.filter
def as_of(unit: Any) -> date | None:
    from tanjiliang.web.core.assessing import default_as_of

    try:
        return default_as_of(unit)
    except (AttributeError, TypeError, ValueError):
        return None
