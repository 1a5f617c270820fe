"""Event pages: public (list, event, agenda, speakers, series, schedule, calendars)."""

from __future__ import annotations

from django.urls import path

from ..views import calendars, public

urlpatterns = [
    path("", public.event_list, name="event_list"),
    path("feed.ics", calendars.public_feed, name="public_feed"),
    path("series/<slug:slug>/", public.series_detail, name="series_detail"),
    path("schedule/", public.my_schedule, name="my_schedule"),
    path("sessions/<int:pk>/schedule", public.schedule_toggle, name="schedule_toggle"),
    path("calendar/", calendars.calendar_link, name="calendar_link"),
    path("calendar/<str:token>.ics", calendars.personal_feed, name="personal_feed"),
    path("<slug:slug>/", public.event_detail, name="event_detail"),
    path("<slug:slug>/agenda/", public.event_agenda, name="event_agenda"),
    path("<slug:slug>/speakers/", public.speaker_list, name="speaker_list"),
    path("<slug:slug>/calendar.ics", calendars.event_ics, name="event_ics"),
]
