"""``{% rl code %}``: the review vocabulary (tanjiliang.review.model.LABELS) in the
request's language."""

from __future__ import annotations

from typing import Any

from django import template

from tanjiliang.review.model import label

register = template.Library()


@register.simple_tag(takes_context=True)
def rl(context: Any, code: Any) -> str:
    return label(str(code) if code else None, context.get("lang", "zh"))
