"""Forms of the after-event pages: attendance marking and import, the evaluation survey."""

from __future__ import annotations

from typing import Any

from django import forms

from townsquare.academy.forms.credit import SCALE_LABELS
from townsquare.academy.services.credit import KIND_ANSWERS, TEXT_LIMIT

from ..models import Event
from ..services.attendance import MAX_IMPORT_BYTES, MAX_MINUTES
from ..services.feedback import feedback_questions


class AttendanceFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Name or email")
    attended = forms.ChoiceField(
        required=False,
        choices=[("", "Everyone"), ("yes", "Attended"), ("no", "Not attended")],
        label="Attendance",
    )


class AttendanceMarkForm(forms.Form):
    registration = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    attended = forms.TypedChoiceField(
        choices=[("1", "Attended"), ("0", "Not attended")],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )


class AttendanceImportForm(forms.Form):
    report = forms.FileField(
        label="Attendee report (CSV)",
        help_text=(
            "Zoom: Reports → Usage → Participants → Export (“User Email”, “Time in Session "
            "(minutes)”). Teams: Attendance → Download (“Email”, “Duration”). "
            f"At most {MAX_IMPORT_BYTES // (1024 * 1024)} MB."
        ),
    )
    minimum_minutes = forms.IntegerField(
        min_value=0,
        max_value=MAX_MINUTES,
        initial=0,
        label="Minimum minutes attended",
        help_text="People who stayed for less are not marked as attended.",
    )

    def clean_report(self) -> bytes:
        upload = self.cleaned_data["report"]
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".txt")):
            raise forms.ValidationError("Upload the report as a .csv file.")
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB."
            )
        return bytes(upload.read())


class FeedbackForm(forms.Form):
    """Built from the event's survey questions (services.feedback.feedback_questions)."""

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in feedback_questions(event):
            field: forms.Field
            if question.kind == "text":
                field = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 3}),
                    max_length=TEXT_LIMIT,
                    required=question.is_required,
                )
            else:
                field = forms.ChoiceField(
                    choices=[
                        (value, SCALE_LABELS.get(value, value.capitalize()))
                        for value in KIND_ANSWERS[question.kind]
                    ],
                    widget=forms.RadioSelect,
                    required=question.is_required,
                )
            field.label = question.text
            self.fields[question.key] = field
