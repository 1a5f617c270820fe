"""``{% fellowship_badges person %}``: a person's live fellowship levels as labelled badges (the
level is written out, so it never relies on colour alone)."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors.credentials import fellowship_credentials

register = template.Library()


@register.inclusion_tag("academy/fellowship/_badges.html")
def fellowship_badges(person: Any) -> dict[str, Any]:
    if person is None or not getattr(person, "pk", None):
        return {"credentials": []}
    return {"credentials": fellowship_credentials(user=person)}
