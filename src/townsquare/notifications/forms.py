"""Forms of the notification pages: they check the shape of the input; the rules are the
services'."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import (
    ALWAYS_SHOWN_KINDS,
    SCOPE_LABEL_MAX_LENGTH,
    SCOPE_MAX_LENGTH,
    EmailMode,
    NotificationKind,
    NotificationSettings,
    ScopeLevel,
)

NEXT_MAX_LENGTH = 2000


class SettingsForm(forms.Form):
    """The email mode, and per kind: show it in the app, and email it."""

    email_mode = forms.ChoiceField(
        label="Email me about notifications",
        choices=EmailMode.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, current: NotificationSettings, **kwargs: Any) -> None:
        disabled = set(current.disabled_kinds or [])
        email_disabled = set(current.email_disabled_kinds or [])
        initial: dict[str, Any] = {"email_mode": current.email_mode}
        for kind in NotificationKind.values:
            initial[f"show_{kind}"] = kind not in disabled
            initial[f"email_{kind}"] = kind not in email_disabled
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for kind, label in NotificationKind.choices:
            always = kind in ALWAYS_SHOWN_KINDS
            self.fields[f"show_{kind}"] = forms.BooleanField(
                label=f"Show “{label}” in the app",
                required=False,
                disabled=always,
                help_text="Always shown." if always else "",
            )
            self.fields[f"email_{kind}"] = forms.BooleanField(
                label=f"Email “{label}”", required=False
            )

    def kind_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (str(label), self[f"show_{kind}"], self[f"email_{kind}"])
            for kind, label in NotificationKind.choices
        ]

    def disabled_kinds(self) -> list[str]:
        return [
            kind
            for kind in NotificationKind.values
            if not self.cleaned_data.get(f"show_{kind}") and kind not in ALWAYS_SHOWN_KINDS
        ]

    def email_disabled_kinds(self) -> list[str]:
        return [
            kind for kind in NotificationKind.values if not self.cleaned_data.get(f"email_{kind}")
        ]


class ScopeSettingForm(forms.Form):
    """How much to hear from one scope (a community space, a library collection)."""

    scope = forms.CharField(max_length=SCOPE_MAX_LENGTH, widget=forms.HiddenInput)
    scope_label = forms.CharField(
        max_length=SCOPE_LABEL_MAX_LENGTH, required=False, widget=forms.HiddenInput
    )
    level = forms.ChoiceField(label="Notify me", choices=ScopeLevel.choices)
    email_mode = forms.ChoiceField(
        label="Email",
        choices=[("", "As in my settings"), *EmailMode.choices],
        required=False,
    )
    next = forms.CharField(max_length=NEXT_MAX_LENGTH, required=False, widget=forms.HiddenInput)


class ReadAllForm(forms.Form):
    scope = forms.CharField(max_length=SCOPE_MAX_LENGTH, required=False)
    next = forms.CharField(max_length=NEXT_MAX_LENGTH, required=False)
