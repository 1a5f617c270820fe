"""Forms of the access pages: asking for access, deciding, choosing a month of usage."""

from __future__ import annotations

from django import forms

from ..services.access import GRANT, MAX_NOTE, MAX_REASON, REFUSE


class AccessRequestForm(forms.Form):
    reason = forms.CharField(
        required=False,
        max_length=MAX_REASON,
        label="Why you need it (optional)",
        help_text="E.g. your role and what you will use it for. Do not include patient details.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AccessDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(GRANT, "Grant access"), (REFUSE, "Refuse")],
        label="Decision",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        required=False,
        max_length=MAX_NOTE,
        label="Note to the person (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class UsageMonthForm(forms.Form):
    month = forms.CharField(
        required=False,
        max_length=7,
        label="Month",
        help_text="YYYY-MM; leave empty for this month.",
        widget=forms.TextInput(attrs={"type": "month"}),
    )
