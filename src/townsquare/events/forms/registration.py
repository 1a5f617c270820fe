"""Forms of the registration pages. The rules (window, seats, codes, tiers) are the services';
these forms only check the shape of the input and bound its size."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms

from ..models import Event, QuestionKind, RegistrationQuestion
from ..selectors.registrations import TicketOption

ANSWER_LIMIT = 1000


def request_key_new() -> str:
    """A fresh key for each rendering of a form: submitting it twice makes one registration."""
    return secrets.token_urlsafe(24)


def _money(option: TicketOption) -> str:
    return "Free" if option.price == 0 else f"${option.price:,.2f}"


def ticket_label(option: TicketOption) -> str:
    parts = [option.ticket_type.name, _money(option)]
    if option.note:
        parts.append(option.note)
    elif option.seats_left > 0:
        parts.append(f"{option.seats_left} seat{'s' if option.seats_left != 1 else ''} left")
    else:
        parts.append("full: join the waiting list")
    return " — ".join(parts)


def question_field(question: RegistrationQuestion) -> forms.Field:
    common: dict[str, Any] = {
        "label": question.label,
        "required": question.is_required,
        "help_text": question.help_text,
    }
    if question.kind == QuestionKind.CHOICE:
        choices = [("", "Choose…"), *((option, option) for option in question.option_list)]
        return forms.ChoiceField(choices=choices, **common)
    if question.kind == QuestionKind.YES_NO:
        return forms.ChoiceField(
            choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect, **common
        )
    if question.kind == QuestionKind.LONG_TEXT:
        return forms.CharField(
            max_length=ANSWER_LIMIT, widget=forms.Textarea(attrs={"rows": 3}), **common
        )
    return forms.CharField(max_length=ANSWER_LIMIT, **common)


class RegistrationForm(forms.Form):
    ticket_type = forms.TypedChoiceField(
        label="Ticket", coerce=int, widget=forms.RadioSelect, empty_value=None
    )
    discount_code = forms.CharField(
        label="Discount code", required=False, max_length=40, help_text="If you have one."
    )
    request_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(
        self,
        *args: Any,
        event: Event,
        options: list[TicketOption],
        questions: list[RegistrationQuestion],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.questions = questions
        field = self.fields["ticket_type"]
        if isinstance(field, forms.TypedChoiceField):
            field.choices = [(option.ticket_type.pk, ticket_label(option)) for option in options]
        available = [option for option in options if option.available]
        if len(available) == 1 and not self.is_bound:
            self.initial.setdefault("ticket_type", available[0].ticket_type.pk)
        if not self.event.discount_codes.exists():
            del self.fields["discount_code"]
        for question in questions:
            self.fields[f"question_{question.pk}"] = question_field(question)
        self.order_fields(
            ["ticket_type", *(f"question_{q.pk}" for q in questions), "discount_code"]
        )

    def answers(self) -> dict[str, str]:
        return {
            str(question.pk): str(self.cleaned_data.get(f"question_{question.pk}") or "")
            for question in self.questions
        }

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"question_{question.pk}"] for question in self.questions]


class GroupRegistrationForm(forms.Form):
    ticket_type = forms.TypedChoiceField(
        label="Ticket for everyone", coerce=int, widget=forms.RadioSelect, empty_value=None
    )
    members = forms.TypedMultipleChoiceField(
        label="Who to register",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="All of them get a seat, or no one is registered.",
    )
    discount_code = forms.CharField(label="Discount code", required=False, max_length=40)
    # 60, not 64: the group service stores "<key>:<index>" in the 64-character column.
    request_key = forms.CharField(widget=forms.HiddenInput, max_length=60, required=False)

    def __init__(
        self,
        *args: Any,
        options: list[TicketOption],
        members: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        ticket_field = self.fields["ticket_type"]
        member_field = self.fields["members"]
        if isinstance(ticket_field, forms.ChoiceField):
            ticket_field.choices = [
                (option.ticket_type.pk, ticket_label(option)) for option in options
            ]
        if isinstance(member_field, forms.ChoiceField):
            member_field.choices = members


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=200,
        help_text="Helps the organizers plan; not shared with anyone else.",
    )


class TransferForm(forms.Form):
    to_email = forms.EmailField(
        label="Colleague's email address",
        max_length=254,
        help_text="They need an account here. Your ticket becomes theirs, with a new code.",
    )


class CheckInForm(forms.Form):
    code = forms.CharField(
        label="Ticket code",
        max_length=64,
        help_text="Scan the QR code, or type the code under it and press Enter.",
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "autocapitalize": "off",
                "spellcheck": "false",
                "inputmode": "text",
            }
        ),
    )
