"""Forms for revoking credentials and for fellowship submissions, reviews and awards."""

from __future__ import annotations

from django import forms

from ..models import FellowshipLevel


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Reason for revoking",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown on the public verification page. Do not include health information.",
    )


class SubmissionForm(forms.Form):
    level = forms.ChoiceField(
        label="Level",
        choices=[
            (FellowshipLevel.BRONZE, "Bronze — strategic plan"),
            (FellowshipLevel.SILVER, "Silver — implementation report"),
            (FellowshipLevel.GOLD, "Gold — presentation of results"),
        ],
    )
    title = forms.CharField(label="Title", max_length=200)
    body = forms.CharField(
        label="Text (Markdown)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=(
            "Bronze: your strategic plan. Silver: 750–1,200 words with the headings "
            "“## Goals”, “## What we did”, “## Results”, “## Lessons learned”. "
            "Gold: a summary of the results you present."
        ),
    )
    attachment = forms.FileField(
        label="Presentation (Gold: PDF or PowerPoint .pptx)",
        required=False,
    )


class SubmissionEditForm(SubmissionForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        del self.fields["level"]


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment (Markdown)", max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("approve", "Approve"), ("request_changes", "Request changes")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Comment for the applicant",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required when you request changes.",
    )


class PlatinumAwardForm(forms.Form):
    email = forms.EmailField(label="Email of the Gold fellow")
    citation = forms.CharField(
        label="Citation", max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
