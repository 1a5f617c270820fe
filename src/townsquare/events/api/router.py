"""The one router every events API module adds its operations to.

One router, not one per area, because django-ninja builds one URL pattern per router and path:
``GET`` (organizers' list) and ``POST`` (register) on ``/{event_id}/registrations`` come from two
areas and must share a pattern."""

from ninja import Router

router = Router(tags=["events"])
