"""The public section's helpers: the ``event_time`` tag, the filter form's month parser, and the
events navigation."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from ..forms.public import EventFilterForm
from ..models import Event
from ..navigation import section_items
from .factories import make_attendee, make_organizer


def render(template: str, **context) -> str:
    return Template("{% load events_time %}" + template).render(Context(context))


def test_event_time_shows_the_event_zone_and_marks_the_utc_instant():
    event = Event(time_zone="America/Chicago")
    moment = datetime.datetime(2026, 3, 9, 15, 30, tzinfo=datetime.UTC)
    html = render("{% event_time value event %}", value=moment, event=event)
    assert html == (
        '<time datetime="2026-03-09T15:30:00Z" data-local-time="datetime" '
        'data-event-zone="America/Chicago">Mon 09 Mar 2026, 10:30 CDT</time>'
    )
    assert render('{% event_time value event "time" %}', value=moment, event=event).endswith(
        ">10:30 CDT</time>"
    )
    kept = render('{% event_time value event "date" keep=True %}', value=moment, event=event)
    assert kept == (
        '<time datetime="2026-03-09T15:30:00Z" data-event-zone="America/Chicago">'
        "Mon 09 Mar 2026</time>"
    )
    assert render("{% event_time value event %}", value=None, event=event) == ""


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        ("2026-02", (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))),
        ("2028-02", (datetime.date(2028, 2, 1), datetime.date(2028, 2, 29))),
        ("2026-12", (datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))),
    ],
)
def test_month_covers_the_whole_month(month, expected):
    form = EventFilterForm({"month": month})
    assert form.is_valid(), form.errors
    filters = form.filters()
    assert (filters.starts_from, filters.starts_until) == expected


@given(st.text(max_size=12))
def test_any_month_text_is_accepted_or_explained(text):
    form = EventFilterForm({"month": text})
    if form.is_valid():
        starts_from = form.filters().starts_from
        assert starts_from is None or starts_from.day == 1
    else:
        assert form.errors["month"]


@pytest.mark.django_db
def test_navigation_shows_what_each_person_may_open():
    assert section_items(AnonymousUser()) == [("Events", "/events/")]
    labels = [label for label, _url in section_items(make_attendee())]
    assert labels[0] == "Events"
    assert "My schedule" in labels
    assert "Calendar" in labels
    assert "Manage events" not in labels
    organizer_labels = [label for label, _url in section_items(make_organizer())]
    assert organizer_labels[-1] == "Manage events"
