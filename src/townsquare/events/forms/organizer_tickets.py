"""Forms of the organizer pages for tickets, discount codes and registration questions."""

from __future__ import annotations

import zoneinfo
from decimal import Decimal
from typing import Any

from django import forms

from townsquare.academy.models import AccessTier

from ..models import (
    DiscountCode,
    DiscountKind,
    Event,
    QuestionKind,
    QuestionPurpose,
    RegistrationQuestion,
    TicketType,
)
from ..services.ticketing import DiscountCodeFields, QuestionFields, TicketTypeFields
from .organizer import (
    LocalDateTimeField,
    ZonedForm,
    int_field,
    local_input,
)


class TicketTypeForm(ZonedForm):
    datetime_fields = ("sales_start", "sales_end")

    name = forms.CharField(label="Ticket name", max_length=120)
    description = forms.CharField(label="Ticket description", max_length=400, required=False)
    price = forms.DecimalField(
        min_value=0, max_value=Decimal("9999999.99"), decimal_places=2, initial=Decimal("0")
    )
    capacity = int_field(
        "Quota", minimum=1, help_text="Empty: only the event's capacity limits it."
    )
    sales_start = LocalDateTimeField(label="On sale from", required=False)
    sales_end = LocalDateTimeField(label="On sale until", required=False)
    members_only = forms.BooleanField(label="Members of member organizations only", required=False)
    minimum_tier = forms.ChoiceField(
        label="Access level needed",
        choices=[("", "The event's"), *AccessTier.choices],
        required=False,
    )
    is_active = forms.BooleanField(label="On sale (active)", required=False, initial=True)
    position = int_field("Position", initial=0)

    @staticmethod
    def initial_for(ticket_type: TicketType, zone: zoneinfo.ZoneInfo) -> dict[str, Any]:
        return {
            "name": ticket_type.name,
            "description": ticket_type.description,
            "price": ticket_type.price,
            "capacity": ticket_type.capacity,
            "sales_start": local_input(ticket_type.sales_start, zone),
            "sales_end": local_input(ticket_type.sales_end, zone),
            "members_only": ticket_type.members_only,
            "minimum_tier": ticket_type.minimum_tier,
            "is_active": ticket_type.is_active,
            "position": ticket_type.position,
        }

    def fields_for_service(self) -> TicketTypeFields:
        data = self.cleaned_data
        return TicketTypeFields(
            name=data["name"],
            description=data["description"],
            price=data["price"],
            capacity=data["capacity"],
            sales_start=data["sales_start"],
            sales_end=data["sales_end"],
            members_only=data["members_only"],
            minimum_tier=data["minimum_tier"],
            is_active=data["is_active"],
            position=data["position"] or 0,
        )


class DiscountCodeForm(ZonedForm):
    datetime_fields = ("valid_from", "valid_until")

    code = forms.CharField(max_length=40, help_text="Letters, digits, dashes; any case.")
    kind = forms.ChoiceField(label="Discount kind", choices=DiscountKind.choices)
    value = forms.DecimalField(
        label="Discount",
        min_value=Decimal("0.01"),
        max_value=Decimal("9999999.99"),
        decimal_places=2,
        help_text="Percent off, or the amount off.",
    )
    max_uses = int_field("Maximum uses", minimum=1, help_text="Empty: unlimited.")
    valid_from = LocalDateTimeField(label="Valid from", required=False)
    valid_until = LocalDateTimeField(label="Valid until", required=False)
    ticket_types = forms.ModelMultipleChoiceField(
        label="For tickets",
        queryset=TicketType.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every ticket.",
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, zone=event.zone, **kwargs)
        self.fields["ticket_types"].queryset = TicketType.objects.filter(event=event)  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(code: DiscountCode, zone: zoneinfo.ZoneInfo) -> dict[str, Any]:
        return {
            "code": code.code,
            "kind": code.kind,
            "value": code.value,
            "max_uses": code.max_uses,
            "valid_from": local_input(code.valid_from, zone),
            "valid_until": local_input(code.valid_until, zone),
            "ticket_types": list(code.ticket_types.all()),
        }

    def fields_for_service(self) -> DiscountCodeFields:
        data = self.cleaned_data
        return DiscountCodeFields(
            code=data["code"],
            kind=data["kind"],
            value=data["value"],
            max_uses=data["max_uses"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            ticket_types=list(data["ticket_types"]),
        )


class QuestionForm(forms.Form):
    label = forms.CharField(label="Question", max_length=200)
    help_text = forms.CharField(label="Hint", max_length=300, required=False)
    kind = forms.ChoiceField(label="Kind of answer", choices=QuestionKind.choices)
    purpose = forms.ChoiceField(choices=QuestionPurpose.choices)
    options = forms.CharField(
        label="Options",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For “One of a list”: one option per line.",
    )
    is_required = forms.BooleanField(label="An answer is required", required=False)
    position = int_field("Position", initial=0)

    @staticmethod
    def initial_for(question: RegistrationQuestion) -> dict[str, Any]:
        return {
            "label": question.label,
            "help_text": question.help_text,
            "kind": question.kind,
            "purpose": question.purpose,
            "options": question.options,
            "is_required": question.is_required,
            "position": question.position,
        }

    def fields_for_service(self) -> QuestionFields:
        data = self.cleaned_data
        return QuestionFields(
            label=data["label"],
            help_text=data["help_text"],
            kind=data["kind"],
            purpose=data["purpose"],
            options=data["options"],
            is_required=data["is_required"],
            position=data["position"] or 0,
        )
