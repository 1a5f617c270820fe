"""Forms for CE credit: the activity, disclosures, the evaluation, the claim and the export."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from ..models import CreditActivity, CreditType, DisclosureRole
from ..services.credit import (
    HOURS_STEP,
    KIND_ANSWERS,
    TEXT_LIMIT,
    evaluation_questions,
    identifiers_needed,
)

DATE = forms.DateInput(attrs={"type": "date"})
MONTHS = [
    ("", "Month"),
    *[
        (str(number), name)
        for number, name in enumerate(
            [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ],
            start=1,
        )
    ],
]


class CreditActivityForm(forms.Form):
    credit_type = forms.ChoiceField(choices=CreditType.choices)
    max_hours = forms.DecimalField(
        label="Maximum hours",
        min_value=Decimal("0.25"),
        max_value=Decimal("999.75"),
        decimal_places=2,
        step_size=HOURS_STEP,
        help_text="The most a learner may claim, in quarter hours.",
    )
    objectives = forms.CharField(
        label="Learning objectives",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="Markdown list, one objective per line. Each is rated in the evaluation.",
    )
    accreditation_statement = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    activity_number = forms.CharField(
        label="ACPE activity number",
        required=False,
        max_length=40,
        help_text="Required for ACPE credit, e.g. 0000-0000-26-001-H04-P.",
    )
    released_on = forms.DateField(required=False, widget=DATE, label="Release date")
    expires_on = forms.DateField(required=False, widget=DATE, label="Expiry date")

    @classmethod
    def initial_from(cls, activity: CreditActivity | None) -> dict[str, Any]:
        if activity is None:
            return {}
        return {name: getattr(activity, name) for name in cls.base_fields}


class DisclosureForm(forms.Form):
    person_name = forms.CharField(max_length=200, label="Name")
    role = forms.ChoiceField(choices=DisclosureRole.choices)
    relationships = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        label="Relevant financial relationships",
        help_text="Company and nature of each relationship. Leave empty for none.",
    )
    mitigation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        help_text="How the relationships were mitigated (required when there are any).",
    )


SCALE_LABELS = {
    "1": "1 (strongly disagree / poor)",
    "2": "2",
    "3": "3",
    "4": "4",
    "5": "5 (strongly agree / excellent)",
}


class EvaluationForm(forms.Form):
    """Built from the activity's fixed questions (services.credit.evaluation_questions)."""

    def __init__(self, *args: Any, activity: CreditActivity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in evaluation_questions(activity):
            field: forms.Field
            if question.kind == "text":
                field = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 3}),
                    max_length=TEXT_LIMIT,
                    required=question.is_required,
                )
            else:
                choices = [
                    (value, SCALE_LABELS.get(value, value.capitalize()))
                    for value in KIND_ANSWERS[question.kind]
                ]
                field = forms.ChoiceField(
                    choices=choices, widget=forms.RadioSelect, required=question.is_required
                )
            field.label = question.text
            self.fields[question.key] = field


class ClaimForm(forms.Form):
    hours = forms.DecimalField(
        min_value=Decimal("0.25"), decimal_places=2, step_size=HOURS_STEP, label="Hours spent"
    )
    attested = forms.BooleanField(required=True)
    license_number = forms.CharField(max_length=40, label="Nursing licence number")
    license_state = forms.CharField(max_length=40, label="Licence issuing state")
    nabp_eprofile_id = forms.CharField(
        max_length=7, label="NABP e-Profile ID", help_text="1 to 7 digits."
    )
    birth_month = forms.TypedChoiceField(choices=MONTHS, coerce=int, label="Birth month")
    birth_day = forms.IntegerField(min_value=1, max_value=31, label="Birth day")

    def __init__(self, *args: Any, activity: CreditActivity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        needed = identifiers_needed(activity.credit_type)
        for name in (
            "license_number",
            "license_state",
            "nabp_eprofile_id",
            "birth_month",
            "birth_day",
        ):
            if name not in needed:
                del self.fields[name]
        hours = self.fields["hours"]
        assert isinstance(hours, forms.DecimalField)  # noqa: S101 - narrows the type
        hours.help_text = f"At most {activity.max_hours} hours, in quarter hours (0.25)."
        hours.widget.attrs["max"] = str(activity.max_hours)
        attested = self.fields["attested"]
        attested.label = "I attest that I spent the hours entered above on this activity."


class CreditExportForm(forms.Form):
    date_from = forms.DateField(required=False, widget=DATE, label="Completed from")
    date_to = forms.DateField(required=False, widget=DATE, label="Completed to")
    credit_type = forms.ChoiceField(
        choices=[("", "All credit types"), *CreditType.choices], required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The end date must not come before the start date.")
        return data
