"""Forms of the moderation pages. They check shapes; ``services.moderation`` checks the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from townsquare.core.models import MAX_OBJECT_ID

from ..models import FlagReason, ModerationActionKind
from ..selectors.moderation import ACTION_LABELS, COMMENT, POST
from ..services.moderation import MAX_MUTE_DAYS, MAX_NOTE, MAX_REASON, SANCTIONS

FLAG_REASON_HELP = {
    FlagReason.PRIVACY: "It names or describes someone (or their health) who did not agree to it.",
    FlagReason.MEDICAL_ADVICE: "It tells someone what treatment to take, or diagnoses another "
    "member. Sharing one's own experience is welcome.",
    FlagReason.HARASSMENT: "It attacks, mocks or threatens someone.",
    FlagReason.ADVERTISING: "It sells or promotes a product, service or practice.",
    FlagReason.MISINFORMATION: "It states something about health that is false and could harm.",
    FlagReason.OFF_TOPIC: "It does not belong in this space.",
    FlagReason.OTHER: "Say what is wrong in the note.",
}


class TargetForm(forms.Form):
    """Which post or comment (``?post=`` or ``?comment=``): exactly one."""

    post = forms.IntegerField(required=False, min_value=1, max_value=MAX_OBJECT_ID)
    comment = forms.IntegerField(required=False, min_value=1, max_value=MAX_OBJECT_ID)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if bool(cleaned.get("post")) == bool(cleaned.get("comment")):
            raise forms.ValidationError("Say which post or comment you mean.")
        return cleaned

    @property
    def target(self) -> tuple[str, int]:
        if self.cleaned_data.get("post"):
            return POST, self.cleaned_data["post"]
        return COMMENT, self.cleaned_data["comment"]


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why should a moderator look at it?",
        choices=FlagReason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="A note for the moderators (optional)",
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only the moderators read it. Do not repeat anyone's private details here.",
    )


class DecisionForm(forms.Form):
    target_type = forms.ChoiceField(choices=[(POST, "Post"), (COMMENT, "Comment")])
    target_id = forms.IntegerField(min_value=1, max_value=MAX_OBJECT_ID)
    action = forms.ChoiceField(choices=list(ACTION_LABELS.items()))
    reason = forms.CharField(
        label="Reason (the author reads it)",
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    next = forms.CharField(required=False, max_length=500)


class SanctionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("warn", "Warn"),
            ("mute", "Mute"),
            ("unmute", "Lift the mute"),
            ("ban", "Ban"),
            ("unban", "Lift the ban"),
        ]
    )
    days = forms.IntegerField(
        label="For how many days", required=False, min_value=1, max_value=MAX_MUTE_DAYS
    )
    reason = forms.CharField(
        label="Reason (the person reads it)",
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_action(self) -> str:
        action = self.cleaned_data["action"]
        if action not in SANCTIONS:  # pragma: no cover - the choices say the same
            raise forms.ValidationError("Choose a sanction.")
        return str(action)


class LogFilterForm(forms.Form):
    action = forms.ChoiceField(
        label="Decision",
        required=False,
        choices=[("", "All decisions"), *ModerationActionKind.choices],
    )
