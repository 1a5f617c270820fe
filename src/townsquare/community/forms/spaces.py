"""Forms of the spaces pages: the directory filters, a space's settings, joining with the
guidelines accepted, invitations, and the managers' small decision forms."""

from __future__ import annotations

from typing import Any

from django import forms

from townsquare.accounts.models import Organization

from ..models import (
    PATIENT_CATEGORIES,
    STAFF_CATEGORIES,
    SpaceCategory,
    SpaceKind,
    SpaceVisibility,
)
from ..selectors.spaces import SpaceFilters
from ..services.spaces import MAX_DESCRIPTION, MAX_GUIDELINES, MAX_NAME, MAX_REASON, MAX_WHO

CATEGORY_CHOICES = [
    ("Staff network", [(c.value, c.label) for c in STAFF_CATEGORIES]),
    ("Patient community", [(c.value, c.label) for c in PATIENT_CATEGORIES]),
]


class SpaceFilterForm(forms.Form):
    q = forms.CharField(label="Search spaces", required=False, max_length=200)
    kind = forms.ChoiceField(label="Network", required=False)
    category = forms.ChoiceField(
        label="Category", required=False, choices=[("", "Any category"), *CATEGORY_CHOICES]
    )
    mine = forms.BooleanField(label="Only spaces I belong to or am invited to", required=False)
    archived = forms.BooleanField(label="Archived spaces instead", required=False)

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            ("", "Both networks" if len(kinds) > 1 else "Any"),
            *[(kind, SpaceKind(kind).label) for kind in kinds],
        ]

    def filters(self) -> SpaceFilters:
        if not self.is_bound or not self.is_valid():
            return SpaceFilters()
        data = self.cleaned_data
        return SpaceFilters(
            kind=data["kind"] or "",
            category=data["category"] or "",
            mine=bool(data["mine"]),
            query=(data["q"] or "").strip(),
            archived=bool(data["archived"]),
        )


class SpaceForm(forms.Form):
    """A space's settings. ``kinds`` are the networks the person may open a space in; editing an
    existing space leaves the network out (it never changes)."""

    name = forms.CharField(label="Name", max_length=MAX_NAME)
    kind = forms.ChoiceField(label="Network")
    category = forms.ChoiceField(
        label="Category",
        choices=CATEGORY_CHOICES,
        help_text="Staff spaces are about care, education, research, administration, a "
        "department or an interest; patient groups gather around a condition, a treatment or "
        "an experience.",
    )
    visibility = forms.ChoiceField(
        label="Who can find and read it",
        choices=SpaceVisibility.choices,
        widget=forms.RadioSelect,
        initial=SpaceVisibility.OPEN,
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the space is for (Markdown).",
    )
    guidelines = forms.CharField(
        label="Guidelines",
        required=False,
        max_length=MAX_GUIDELINES,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Shown to everyone before they join; they accept them to join (Markdown).",
    )
    requires_approval = forms.BooleanField(
        label="A moderator approves every post before it is published", required=False
    )
    organization = forms.ModelChoiceField(
        label="Run by",
        required=False,
        queryset=Organization.objects.none(),
        empty_label="No organization",
    )

    def __init__(
        self,
        *args: Any,
        kinds: list[str] | None = None,
        organizations: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if kinds is None:
            del self.fields["kind"]
        else:
            self.fields["kind"].choices = [  # type: ignore[attr-defined]
                (kind, SpaceKind(kind).label) for kind in kinds
            ]
            if len(kinds) == 1:
                self.fields["kind"].initial = kinds[0]
        organization_field = self.fields["organization"]
        organization_field.queryset = (  # type: ignore[attr-defined]
            organizations if organizations is not None else Organization.objects.none()
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        category = data.get("category")
        if kind and category:
            allowed = STAFF_CATEGORIES if kind == SpaceKind.STAFF else PATIENT_CATEGORIES
            if category not in [c.value for c in allowed]:
                self.add_error(
                    "category",
                    f"Choose a category of the {SpaceKind(kind).label.lower()}.",
                )
        return data

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "category": data["category"],
            "visibility": data["visibility"],
            "description": data["description"],
            "guidelines": data["guidelines"],
            "requires_approval": data["requires_approval"],
            "organization": data["organization"],
        }

    @staticmethod
    def initial_for(space: Any) -> dict[str, Any]:
        return {
            "name": space.name,
            "category": space.category,
            "visibility": space.visibility,
            "description": space.description,
            "guidelines": space.guidelines,
            "requires_approval": space.requires_approval,
            "organization": space.organization_id,
        }


def category_label(value: str) -> str:
    return str(SpaceCategory(value).label)


class JoinForm(forms.Form):
    accept_guidelines = forms.BooleanField(
        label="I have read the guidelines and I will follow them", required=False
    )


class InviteForm(forms.Form):
    who = forms.CharField(
        label="Email or @handle",
        max_length=MAX_WHO,
        help_text="Only people who may use this network can be invited.",
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("decline", "Decline")])


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=[("moderator", "Moderator"), ("member", "Member")])


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label="Reason (the person is told)",
        required=False,
        max_length=MAX_REASON,
    )


class ArchiveForm(forms.Form):
    archived = forms.BooleanField(required=False)
