"""Forms of the policy builder: starting a draft, the guided form, building, clause management."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from townsquare.accounts.models import Organization

from ..models import PolicyClause, PolicyDraft
from ..services.policies import LEAVE_OUT, ClauseFields, DraftFields, OptionFields, fill_in

CLAUSE_PREFIX = "clause_"
LEAVE_OUT_LABEL = "Leave this clause out"


class DraftStartForm(forms.Form):
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        empty_label=None,
        help_text="The policy is saved in the library, private to this organization.",
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = organizations


class PolicyForm(forms.Form):
    """The guided form: the policy's details, then one set of radio buttons per clause."""

    title = forms.CharField(max_length=300, label="Policy title")
    contact_name = forms.CharField(
        max_length=200,
        label="Contact person or office",
        help_text="Named in the policy as the one to ask and to report problems to.",
    )
    contact_email = forms.EmailField(max_length=254, label="Contact email")
    contact_phone = forms.CharField(max_length=40, required=False, label="Contact telephone")
    effective_on = forms.DateField(
        required=False,
        label="Effective date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="When the policy takes effect. Its review date is a year later.",
    )

    def __init__(
        self, *args: Any, clauses: list[PolicyClause], draft: PolicyDraft, **kwargs: Any
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "title": draft.title,
                "contact_name": draft.contact_name,
                "contact_email": draft.contact_email,
                "contact_phone": draft.contact_phone,
                "effective_on": draft.effective_on,
            },
        )
        super().__init__(*args, **kwargs)
        self.clauses = clauses
        self.values = {
            "organization": draft.organization.name,
            "contact_name": draft.contact_name,
            "contact_email": draft.contact_email,
            "contact_phone": draft.contact_phone,
        }
        choices = draft.choices or {}
        for clause in clauses:
            options = [(option.key, option.label) for option in clause.options.all()]
            if not clause.is_required:
                options.append((LEAVE_OUT, LEAVE_OUT_LABEL))
            name = CLAUSE_PREFIX + clause.key
            self.fields[name] = forms.ChoiceField(
                label=clause.title,
                choices=options,
                widget=forms.RadioSelect,
                required=clause.is_required,
                error_messages={"required": f"Choose an option for “{clause.title}”."},
            )
            default = next((o.key for o in clause.options.all() if o.is_default), None)
            self.initial.setdefault(
                name,
                choices.get(clause.key, default if clause.is_required else LEAVE_OUT),
            )

    def clause_rows(self) -> list[dict[str, Any]]:
        """Each clause with its bound field and its options' texts, for the template."""
        rows = []
        for clause in self.clauses:
            field = self[CLAUSE_PREFIX + clause.key]
            texts = {
                option.key: fill_in(option.text, self.values) for option in clause.options.all()
            }
            rows.append(
                {
                    "clause": clause,
                    "field": field,
                    "choices": [
                        {"widget": widget, "text": texts.get(str(widget.data["value"]), "")}
                        for widget in field.subwidgets
                    ],
                }
            )
        return rows

    def fields_value(self) -> DraftFields:
        data = self.cleaned_data
        return DraftFields(
            title=data["title"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            contact_phone=data.get("contact_phone") or "",
            effective_on=data.get("effective_on"),
        )

    def choices_value(self) -> dict[str, str]:
        return {
            clause.key: self.cleaned_data.get(CLAUSE_PREFIX + clause.key) or LEAVE_OUT
            for clause in self.clauses
        }


class BuildForm(forms.Form):
    change_note = forms.CharField(
        max_length=500,
        required=False,
        label="What changed (optional)",
        help_text="Kept with this version in the policy's history.",
    )


class ClauseForm(forms.Form):
    title = forms.CharField(max_length=200, label="Clause title")
    key = forms.SlugField(
        max_length=60, help_text="A short, stable name: letters, digits and hyphens."
    )
    explanation = forms.CharField(
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Plain language for the person filling in the form: why the clause matters.",
    )
    is_required = forms.BooleanField(
        required=False, initial=True, label="Required (cannot be left out)"
    )
    is_active = forms.BooleanField(
        required=False, initial=True, label="Active (offered in the builder)"
    )

    def value(self) -> ClauseFields:
        data = self.cleaned_data
        return ClauseFields(
            key=data["key"],
            title=data["title"],
            explanation=data["explanation"],
            is_required=data["is_required"],
            is_active=data["is_active"],
        )


class OptionForm(forms.Form):
    label = forms.CharField(max_length=200, label="Option label")
    key = forms.SlugField(max_length=60, label="Option key")
    text = forms.CharField(
        max_length=5000,
        label="Policy text",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What goes into the policy. Placeholders: {organization}, {contact_name}, "
        "{contact_email}, {contact_phone}.",
    )
    is_default = forms.BooleanField(required=False, label="Recommended (chosen by default)")

    def value(self) -> OptionFields:
        data = self.cleaned_data
        return OptionFields(
            key=data["key"], label=data["label"], text=data["text"], is_default=data["is_default"]
        )


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])
