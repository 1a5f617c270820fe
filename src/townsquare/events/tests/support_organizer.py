"""Test helpers of the organizer section: event fields, a tiny PNG, form data for the pages."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from ..services.events import EventFields

CHICAGO = "America/Chicago"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def future(days: int = 30, hour: int = 9) -> datetime.datetime:
    base = timezone.now() + datetime.timedelta(days=days)
    return base.replace(hour=hour, minute=0, second=0, microsecond=0)


def event_fields(**overrides: Any) -> EventFields:
    starts_at = overrides.pop("starts_at", future())
    values: dict[str, Any] = {
        "title": "Social media for nurses",
        "summary": "A hands-on workshop.",
        "format": "workshop",
        "starts_at": starts_at,
        "ends_at": starts_at + datetime.timedelta(hours=6),
        "capacity": 20,
        "time_zone": CHICAGO,
        "venue_name": "Center auditorium",
    }
    values.update(overrides)
    return EventFields(**values)


def local(value: datetime.datetime, zone: str = CHICAGO) -> str:
    """The text a datetime-local input would send for ``value`` in ``zone``."""
    import zoneinfo

    return value.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def event_form_data(**overrides: Any) -> dict[str, Any]:
    starts_at = future()
    data: dict[str, Any] = {
        "title": "Grand rounds on video",
        "summary": "How to stream grand rounds safely.",
        "description": "All **about** it.",
        "format": "workshop",
        "time_zone": CHICAGO,
        "starts_at": local(starts_at),
        "ends_at": local(starts_at + datetime.timedelta(hours=3)),
        "venue_name": "Room 101",
        "online_provider": "",
        "access_tier": "member",
        "capacity": "30",
        "waitlist_mode": "offer",
        "offer_hours": "24",
    }
    data.update(overrides)
    return data
