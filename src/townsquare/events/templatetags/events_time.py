"""``{% event_time value event %}``: a time shown in the event's own time zone, as
``<time datetime="…UTC…" data-local-time data-event-zone="…">``. ``static/events/local-time.js``
rewrites it into the viewer's own zone (keeping the event's time in the title), so a webinar in
Chicago reads right in Lisbon. Formats: ``"datetime"`` (default), ``"date"``, ``"time"``;
``keep=True`` leaves the event's zone alone (for the line that states it)."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

FORMATS = {
    "datetime": "%a %d %b %Y, %H:%M %Z",
    "date": "%a %d %b %Y",
    "time": "%H:%M",
    "long": "%A %d %B %Y, %H:%M %Z",
}


@register.simple_tag
def event_time(
    value: datetime.datetime | None, event: Any, style: str = "datetime", keep: bool = False
) -> SafeString | str:
    if value is None:
        return ""
    zone_name = getattr(event, "time_zone", "UTC") or "UTC"
    local = value.astimezone(event.zone) if hasattr(event, "zone") else value
    pattern = FORMATS.get(style, FORMATS["datetime"])
    text = local.strftime(pattern)
    if style == "time":
        text = f"{text} {local.strftime('%Z')}"
    utc = value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    if keep:
        return format_html(
            '<time datetime="{}" data-event-zone="{}">{}</time>', utc, zone_name, text
        )
    return format_html(
        '<time datetime="{}" data-local-time="{}" data-event-zone="{}">{}</time>',
        utc,
        style if style in FORMATS else "datetime",
        zone_name,
        text,
    )
