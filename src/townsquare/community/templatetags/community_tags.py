from __future__ import annotations

from typing import Any

from django import template

from ..display import content_author_label

register = template.Library()


@register.inclusion_tag("community/includes/author.html", takes_context=True)
def community_author(context: dict[str, Any], content: Any) -> dict[str, Any]:
    """``{% community_author post %}``: the author's name as the viewer may see it, with the
    verified-clinician label and, for moderators, who is behind a pseudonym."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    return {"label": content_author_label(content, viewer)}
