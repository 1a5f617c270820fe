"""The public events list's search and filter form."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms

from townsquare.academy.models import AccessTier

from ..models import EventFormat, EventSeries
from ..selectors.events import EventFilters, Mode

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


class DateInput(forms.DateInput):
    input_type = "date"


class MonthInput(forms.TextInput):
    input_type = "month"


class EventFilterForm(forms.Form):
    q = forms.CharField(label="Search events", required=False, max_length=200)
    format = forms.ChoiceField(
        label="Format", required=False, choices=[("", "Any format"), *EventFormat.choices]
    )
    mode = forms.ChoiceField(
        label="Online or in person", required=False, choices=[("", "Either"), *Mode.CHOICES]
    )
    tier = forms.ChoiceField(
        label="Access", required=False, choices=[("", "Any access"), *AccessTier.choices]
    )
    series = forms.ChoiceField(label="Series", required=False)
    month = forms.CharField(
        label="Month",
        required=False,
        max_length=7,
        widget=MonthInput(attrs={"placeholder": "YYYY-MM"}),
        help_text="e.g. 2026-03",
    )
    starts_from = forms.DateField(label="From", required=False, widget=DateInput())
    starts_until = forms.DateField(label="Until", required=False, widget=DateInput())
    past = forms.BooleanField(label="Show past events instead", required=False)

    def __init__(self, *args: Any, series: list[EventSeries] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["series"].choices = [("", "Any series")] + [  # type: ignore[attr-defined]
            (item.slug, item.title) for item in series or []
        ]

    def clean_month(self) -> tuple[datetime.date, datetime.date] | None:
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            return None
        match = MONTH_PATTERN.match(value)
        if not match:
            raise forms.ValidationError("Enter a month as YYYY-MM, e.g. 2026-03.")
        year, month = int(match.group(1)), int(match.group(2))
        if not (EARLIEST_YEAR <= year <= LATEST_YEAR and 1 <= month <= 12):
            raise forms.ValidationError(
                f"Enter a month between {EARLIEST_YEAR}-01 and {LATEST_YEAR}-12."
            )
        first = datetime.date(year, month, 1)
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        return first, following - datetime.timedelta(days=1)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_from, starts_until = data.get("starts_from"), data.get("starts_until")
        if data.get("month") and (starts_from or starts_until):
            raise forms.ValidationError("Choose a month or a date range, not both.")
        if starts_from and starts_until and starts_until < starts_from:
            self.add_error("starts_until", "The end of the range must not be before its start.")
        for name in ("starts_from", "starts_until"):
            day = data.get(name)
            if day and not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
                self.add_error(name, f"Enter a date between {EARLIEST_YEAR} and {LATEST_YEAR}.")
        return data

    def filters(self) -> EventFilters:
        """The filters to apply: those of a valid form, none of an invalid one."""
        if not self.is_bound or not self.is_valid():
            return EventFilters()
        data = self.cleaned_data
        starts_from, starts_until = data.get("starts_from"), data.get("starts_until")
        if data.get("month"):
            starts_from, starts_until = data["month"]
        return EventFilters(
            query=data.get("q", ""),
            event_format=data.get("format", ""),
            mode=data.get("mode", ""),
            tier=data.get("tier", ""),
            series=data.get("series", ""),
            starts_from=starts_from,
            starts_until=starts_until,
            past=bool(data.get("past")),
        )
