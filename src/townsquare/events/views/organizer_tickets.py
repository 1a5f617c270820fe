"""Organizer pages for what an event sells and asks: ticket types, discount codes and the
registration form's questions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import DomainError, NotFound, PermissionRefused, ValidationFailed

from ..forms.organizer_tickets import (
    DiscountCodeForm,
    QuestionForm,
    TicketTypeForm,
)
from ..models import (
    DiscountCode,
    Event,
    Registration,
    RegistrationQuestion,
    RegistrationStatus,
    TicketType,
)
from ..services import ticketing
from .organizer_support import (
    delete_with_message,
    managed_event,
    redirect_to,
    render_item_form,
    save_or_errors,
)

# Tickets, codes and questions --------------------------------------------------------------------


@login_required
def tickets_manage(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    event = managed_event(request, slug)
    ticket_types = list(TicketType.objects.filter(event=event).order_by("position", "pk"))
    taken = _taken_by_ticket(event)
    for ticket in ticket_types:
        ticket.taken = taken.get(ticket.pk, 0)  # type: ignore[attr-defined]
    return render(
        request,
        "events/organizer/tickets_manage.html",
        {
            "event": event,
            "ticket_types": ticket_types,
            "codes": DiscountCode.objects.filter(event=event)
            .prefetch_related("ticket_types")
            .order_by("code"),
            "questions": RegistrationQuestion.objects.filter(event=event).order_by(
                "position", "pk"
            ),
        },
    )


def _taken_by_ticket(event: Event) -> dict[int, int]:
    rows = (
        Registration.objects.filter(
            event=event, status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED]
        )
        .values("ticket_type_id")
        .annotate(total=Count("pk"))
    )
    return {row["ticket_type_id"]: row["total"] for row in rows}


def _ticket(event: Event, pk: int) -> TicketType:
    ticket = TicketType.objects.filter(event=event, pk=pk).first()
    if ticket is None:
        raise NotFound("No such ticket type at this event.")
    return ticket


@login_required
def ticket_type_form(
    request: AuthenticatedHttpRequest, slug: str, pk: int | None = None
) -> HttpResponse:
    event = managed_event(request, slug)
    ticket = _ticket(event, pk) if pk is not None else None
    initial = TicketTypeForm.initial_for(ticket, event.zone) if ticket else None
    form = TicketTypeForm(request.POST or None, zone=event.zone, initial=initial)
    status = 200
    if request.method == "POST":
        if save_or_errors(
            form,
            lambda: ticketing.ticket_type_save(
                actor=request.user,
                event=event,
                ticket_type=ticket,
                fields=form.fields_for_service(),
            ),
        ):
            messages.success(request, f"Saved the ticket type “{form.cleaned_data['name']}”.")
            return redirect_to("tickets_manage", event)
        status = 422
    return render_item_form(
        request,
        form,
        title=f"Edit the ticket “{ticket.name}”" if ticket else "New ticket type",
        event=event,
        back="events:tickets_manage",
        submit="Save ticket type",
        status=status,
    )


@login_required
@require_POST
def ticket_type_delete(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    event = managed_event(request, slug)
    ticket = _ticket(event, pk)
    try:
        ticketing.ticket_type_delete(actor=request.user, ticket_type=ticket)
    except ValidationFailed as error:
        messages.error(request, error.message)
    except DomainError as error:
        if isinstance(error, PermissionRefused | NotFound):
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, f"Deleted the ticket type “{ticket.name}”.")
    return redirect_to("tickets_manage", event)


def _code(event: Event, pk: int) -> DiscountCode:
    code = DiscountCode.objects.filter(event=event, pk=pk).first()
    if code is None:
        raise NotFound("No such discount code at this event.")
    return code


@login_required
def discount_code_form(
    request: AuthenticatedHttpRequest, slug: str, pk: int | None = None
) -> HttpResponse:
    event = managed_event(request, slug)
    code = _code(event, pk) if pk is not None else None
    initial = DiscountCodeForm.initial_for(code, event.zone) if code else None
    form = DiscountCodeForm(request.POST or None, event=event, initial=initial)
    status = 200
    if request.method == "POST":
        if save_or_errors(
            form,
            lambda: ticketing.discount_code_save(
                actor=request.user,
                event=event,
                discount_code=code,
                fields=form.fields_for_service(),
            ),
        ):
            messages.success(request, "Saved the discount code.")
            return redirect_to("tickets_manage", event)
        status = 422
    return render_item_form(
        request,
        form,
        title=f"Edit the code {code.code}" if code else "New discount code",
        event=event,
        back="events:tickets_manage",
        submit="Save discount code",
        status=status,
    )


@login_required
@require_POST
def discount_code_delete(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    event = managed_event(request, slug)
    code = _code(event, pk)
    delete_with_message(
        request,
        lambda: ticketing.discount_code_delete(actor=request.user, discount_code=code),
        f"Deleted the code {code.code}.",
    )
    return redirect_to("tickets_manage", event)


def _question(event: Event, pk: int) -> RegistrationQuestion:
    question = RegistrationQuestion.objects.filter(event=event, pk=pk).first()
    if question is None:
        raise NotFound("No such question at this event.")
    return question


@login_required
def question_form(
    request: AuthenticatedHttpRequest, slug: str, pk: int | None = None
) -> HttpResponse:
    event = managed_event(request, slug)
    question = _question(event, pk) if pk is not None else None
    initial = QuestionForm.initial_for(question) if question else None
    form = QuestionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if save_or_errors(
            form,
            lambda: ticketing.question_save(
                actor=request.user,
                event=event,
                question=question,
                fields=form.fields_for_service(),
            ),
        ):
            messages.success(request, "Saved the question.")
            return redirect_to("tickets_manage", event)
        status = 422
    return render_item_form(
        request,
        form,
        title="Edit the question" if question else "New registration question",
        event=event,
        back="events:tickets_manage",
        submit="Save question",
        status=status,
    )


@login_required
@require_POST
def question_delete(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    event = managed_event(request, slug)
    question = _question(event, pk)
    delete_with_message(
        request,
        lambda: ticketing.question_delete(actor=request.user, question=question),
        "Deleted the question.",
    )
    return redirect_to("tickets_manage", event)
