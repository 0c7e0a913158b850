"""Money as Vietnamese people write it: 20.000 đồng."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    if amount is None:
        return ""
    return f"{amount:,}".replace(",", ".") + " đồng"
