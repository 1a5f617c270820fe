"""Forms of the people area. The rules (unique handles, pseudonyms that hide a name) live in
``services/people.py``; these forms only bound and shape the input."""

from __future__ import annotations

from django import forms

from ..services.people import CLINICIAN_TITLE_MAX, PSEUDONYM_MAX


class ProfileForm(forms.Form):
    handle = forms.CharField(
        label="Handle",
        max_length=31,
        help_text="How people @mention you: 1 to 30 letters, digits, dots, dashes or "
        "underscores. Everyone who can see what you write can see it.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    pseudonym = forms.CharField(
        label="Pseudonym",
        max_length=PSEUDONYM_MAX,
        required=False,
        help_text="A name that is not yours, shown instead of your name in the patient "
        "community. 3 to 40 letters, digits, spaces, dots, apostrophes or dashes.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    use_pseudonym = forms.BooleanField(
        label="Write under my pseudonym in the patient community",
        required=False,
    )

    def __init__(self, *args: object, may_use_pseudonym: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not may_use_pseudonym:
            del self.fields["pseudonym"]
            del self.fields["use_pseudonym"]


class ClinicianSearchForm(forms.Form):
    q = forms.CharField(
        label="Find a professional by name or email", max_length=100, required=False
    )


class ClinicianVerifyForm(forms.Form):
    title = forms.CharField(
        label="Title shown with the verified label",
        max_length=CLINICIAN_TITLE_MAX,
        help_text="e.g. Endocrinologist, Diabetes nurse educator",
    )
