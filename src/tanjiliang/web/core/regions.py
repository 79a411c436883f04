"""A regulator's region as a filter on units (core/tenancy.py, review/summaries.py).

A unit's region is what its file says (``unit.region``): 河南省焦作市 in Chinese, and in an
English file (``tanjiliang init --lang en``) ``Henan Province, Jiaozuo`` or ``Jiaozuo, Henan``.
A regulator's profile names its region in Chinese (河南省, 河南省焦作市); it sees the units
whose region starts with it, and those whose region names the same province (and city, for a
city's regulator) in any language: :func:`tanjiliang.model.regions.within`, the one reading
of a region that the province batch's grouping by city uses too.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from tanjiliang.model.regions import within


def in_region(region: str, base: QuerySet[Any], field: str = "region") -> Q:
    """Rows of ``base`` (units or summaries) whose ``field`` lies in ``region``: those starting
    with it (one indexed condition) or among the distinct regions of ``base`` that
    :func:`within` places there (read once per distinct text, cached)."""
    values = base.order_by().exclude(**{f"{field}__startswith": region}).values_list(
        field, flat=True).distinct()
    inside = [v for v in values if within(v, region)]
    q = Q(**{f"{field}__startswith": region})
    return q | Q(**{f"{field}__in": inside}) if inside else q
