"""Registration pages: register (alone or for one's organization's members), my registrations,
one registration (status, waiting-list place, offer, cancel, transfer, ticket, invoice) and the
ticket and invoice PDFs. Each view validates, calls one service or selector, and renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.accounts.models import Organization
from townsquare.core.errors import Conflict, DomainError, NotFound, PermissionRefused
from townsquare.core.forms import form_errors_from
from townsquare.core.models import MAX_OBJECT_ID

from .. import permissions
from ..forms.registration import (
    CancelForm,
    GroupRegistrationForm,
    RegistrationForm,
    TransferForm,
    request_key_new,
)
from ..models import Event, Registration, RegistrationStatus, TicketType
from ..permissions import can_see_ticket, can_view_order
from ..selectors import registrations as selectors
from ..services import registrations as services
from ..services.tickets import invoice_pdf as draw_invoice
from ..services.tickets import ticket_pdf as draw_ticket
from ..services.tickets import ticket_qr_svg


def _raise_refusals(error: DomainError) -> None:
    """A missing thing is a page of its own (404); every other refusal goes on the form. (Who
    may act at all is asked before the service runs, so a 403 from a service here is about a
    ticket or a colleague, which the form explains.)"""
    if error.status == 404:
        raise error


def _check_may_register(user: Any, event: Event) -> None:
    if not permissions.can_register(user, event) and event.is_published:
        raise PermissionRefused(
            f"This event is for {event.get_access_tier_display().lower()}; "
            "your account cannot register for it."
        )


# Registering -------------------------------------------------------------------------------------


def _register_context(event: Event, request: AuthenticatedHttpRequest) -> dict[str, Any]:
    return {
        "event": event,
        "options": selectors.ticket_options(event=event, viewer=request.user),
        "questions": list(event.questions.all()),
        "window_note": selectors.registration_window_note(event),
        "profile": request.user,
    }


@login_required
@require_http_methods(["GET", "POST"])
def register(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_for_registration(viewer=request.user, slug=slug)
    _check_may_register(request.user, event)
    context = _register_context(event, request)
    existing = selectors.live_registration(event=event, user=request.user)
    status = 200
    form_kwargs = {"event": event, "options": context["options"], "questions": context["questions"]}
    if request.method == "POST" and not context["window_note"]:
        form = RegistrationForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                result = services.registration_create(
                    actor=request.user,
                    event=event,
                    ticket_type=_ticket_type(event, form.cleaned_data["ticket_type"]),
                    answers=form.answers(),
                    discount_code=form.cleaned_data.get("discount_code") or "",
                    request_key=form.cleaned_data.get("request_key") or "",
                )
            except DomainError as error:
                _raise_refusals(error)
                registration_id = error.extra.get("registration_id")
                if isinstance(error, Conflict) and registration_id:
                    messages.info(request, error.message)
                    return redirect("events:registration_detail", pk=registration_id)
                form_errors_from(error, form, {"answers": "__all__"})
            else:
                _announce(request, result.registration, result.position)
                return redirect("events:registration_detail", pk=result.registration.pk)
        status = 422
    else:
        form = RegistrationForm(initial={"request_key": request_key_new()}, **form_kwargs)
        if request.method == "POST":
            status = 422  # the window closed while the form was open: the page says so
    return render(
        request,
        "events/registration/register.html",
        {**context, "form": form, "existing": existing},
        status=status,
    )


def _ticket_type(event: Event, ticket_type_id: int) -> TicketType:
    found = TicketType.objects.filter(pk=ticket_type_id, event=event).first()
    if found is None:  # the choices come from this event, so only a forged form gets here
        raise NotFound("This ticket does not exist.")
    return found


def _announce(
    request: AuthenticatedHttpRequest, registration: Registration, position: int | None
) -> None:
    if registration.status == RegistrationStatus.CONFIRMED:
        messages.success(
            request,
            f"You are registered for {registration.event.title}. "
            "We emailed you the confirmation with a calendar file.",
        )
    elif position is not None:
        messages.info(
            request,
            f"{registration.event.title} is full, so you are on the waiting list: number "
            f"{position} in line. We email you as soon as a seat is yours.",
        )


@login_required
@require_http_methods(["GET", "POST"])
def group_register(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_for_registration(viewer=request.user, slug=slug)
    organizations = selectors.organizations_led(user=request.user)
    organization = _chosen_organization(request, organizations)
    if organization is None:
        if not organizations.exists():
            raise PermissionRefused("Only leaders of an organization may register its members.")
        return render(
            request,
            "events/registration/group_register.html",
            {"event": event, "organizations": organizations[:200], "organization": None},
        )
    if not permissions.can_register_others(request.user, organization):
        raise PermissionRefused("Only the organization's leaders may register its members.")
    options = selectors.ticket_options(event=event, viewer=None)
    members = [
        (person.pk, f"{person.display_name} ({person.email})")
        for person in selectors.organization_members(organization=organization)[:500]
    ]
    window_note = selectors.registration_window_note(event)
    status = 200
    if request.method == "POST" and not window_note:
        form = GroupRegistrationForm(request.POST, options=options, members=members)
        if form.is_valid():
            people = list(
                selectors.organization_members(organization=organization).filter(
                    pk__in=form.cleaned_data["members"]
                )
            )
            try:
                made = services.group_registration_create(
                    actor=request.user,
                    event=event,
                    ticket_type=_ticket_type(event, form.cleaned_data["ticket_type"]),
                    organization=organization,
                    attendees=people,
                    discount_code=form.cleaned_data.get("discount_code") or "",
                    request_key=form.cleaned_data.get("request_key") or "",
                )
            except DomainError as error:
                if error.status == 404:
                    raise
                form_errors_from(error, form)
            else:
                messages.success(
                    request,
                    f"Registered {len(made)} {'person' if len(made) == 1 else 'people'} from "
                    f"{organization.name}; each got a confirmation email.",
                )
                return redirect("events:my_registrations")
        status = 422
    else:
        form = GroupRegistrationForm(
            initial={"request_key": request_key_new()}, options=options, members=members
        )
        if request.method == "POST":
            status = 422
    return render(
        request,
        "events/registration/group_register.html",
        {
            "event": event,
            "organization": organization,
            "organizations": organizations[:200],
            "form": form,
            "options": options,
            "window_note": window_note,
        },
        status=status,
    )


def _chosen_organization(
    request: AuthenticatedHttpRequest, organizations: Any
) -> Organization | None:
    raw = request.POST.get("organization") or request.GET.get("organization") or ""
    if not raw:
        led = list(organizations[:2])
        return led[0] if len(led) == 1 else None
    if not raw.isdigit() or not 0 < int(raw) <= MAX_OBJECT_ID:
        raise NotFound("No such organization.")
    organization = Organization.objects.filter(pk=int(raw)).first()
    if organization is None:
        raise NotFound("No such organization.")
    return organization


# Mine --------------------------------------------------------------------------------------------


@login_required
@require_GET
def my_registrations(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = list(selectors.registration_list(user=request.user))
    now = timezone.now()
    for row in rows:
        row.position = selectors.position_of(row)  # type: ignore[attr-defined]
    upcoming = [row for row in rows if row.event.ends_at >= now]
    past = [row for row in rows if row.event.ends_at < now]
    past.reverse()
    return render(
        request,
        "events/registration/my_registrations.html",
        {"upcoming": upcoming, "past": past},
    )


def _detail_context(
    request: AuthenticatedHttpRequest, registration: Registration, **forms: Any
) -> dict[str, Any]:
    event = registration.event
    user = request.user
    now = timezone.now()
    is_manager = permissions.can_manage_event(user, event)
    before_deadline = now < event.effective_cancellation_deadline
    is_confirmed = registration.status == RegistrationStatus.CONFIRMED
    not_checked_in = registration.checked_in_at is None
    may_cancel = (
        registration.is_live
        and not_checked_in
        and (is_manager or before_deadline or registration.status != RegistrationStatus.CONFIRMED)
    )
    may_transfer = is_confirmed and not_checked_in and (is_manager or before_deadline)
    return {
        "registration": registration,
        "event": event,
        "position": selectors.position_of(registration),
        "is_offer_open": registration.status == RegistrationStatus.OFFERED
        and registration.offer_expires_at is not None
        and registration.offer_expires_at > now,
        "is_attendee": registration.attendee_id == user.pk,
        "qr_svg": ticket_qr_svg(registration) if can_see_ticket(user, registration) else "",
        "cancel_form": forms.get("cancel_form") or (CancelForm() if may_cancel else None),
        "transfer_form": forms.get("transfer_form") or (TransferForm() if may_transfer else None),
        "deadline": event.effective_cancellation_deadline,
        "before_deadline": before_deadline,
        "show_invoice": bool(registration.order.invoice_number)
        and can_view_order(user, registration.order),
        "show_join": is_confirmed and event.is_online and bool(event.join_url),
    }


@login_required
@require_GET
def registration_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    registration = selectors.registration_get(viewer=request.user, registration_id=pk)
    return render(
        request,
        "events/registration/detail.html",
        _detail_context(request, registration),
    )


def _detail_with_error(
    request: AuthenticatedHttpRequest, registration: Registration, **forms: Any
) -> HttpResponse:
    return render(
        request,
        "events/registration/detail.html",
        _detail_context(request, registration, **forms),
        status=422,
    )


@login_required
@require_POST
def registration_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    registration = selectors.registration_get(viewer=request.user, registration_id=pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _detail_with_error(request, registration, cancel_form=form)
    was_offer = registration.status == RegistrationStatus.OFFERED
    try:
        services.registration_cancel(
            actor=request.user, registration=registration, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        _raise_refusals(error)
        form_errors_from(error, form)
        return _detail_with_error(request, registration, cancel_form=form)
    messages.success(
        request,
        "You let the seat go; it passes to the next person in line."
        if was_offer
        else "The registration is cancelled.",
    )
    return redirect("events:registration_detail", pk=registration.pk)


@login_required
@require_POST
def registration_transfer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    registration = selectors.registration_get(viewer=request.user, registration_id=pk)
    form = TransferForm(request.POST)
    if not form.is_valid():
        return _detail_with_error(request, registration, transfer_form=form)
    try:
        moved = services.registration_transfer(
            actor=request.user, registration=registration, to_email=form.cleaned_data["to_email"]
        )
    except DomainError as error:
        _raise_refusals(error)
        form_errors_from(error, form)
        return _detail_with_error(request, registration, transfer_form=form)
    messages.success(
        request,
        f"The ticket now belongs to {moved.attendee.display_name}; we emailed you both.",
    )
    if permissions.can_view_registration(request.user, moved):
        return redirect("events:registration_detail", pk=moved.pk)
    return redirect("events:my_registrations")


@login_required
@require_POST
def offer_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    registration = selectors.registration_get(viewer=request.user, registration_id=pk)
    if registration.attendee_id != request.user.pk:
        raise PermissionRefused("Only the person offered the seat may take it.")
    try:
        services.offer_accept(actor=request.user, registration=registration)
    except DomainError as error:
        _raise_refusals(error)
        messages.error(request, error.message)
        registration = selectors.registration_get(viewer=request.user, registration_id=pk)
        return render(
            request,
            "events/registration/detail.html",
            _detail_context(request, registration),
            status=error.status,
        )
    messages.success(request, "The seat is yours. We emailed you the confirmation.")
    return redirect("events:registration_detail", pk=registration.pk)


# Documents ---------------------------------------------------------------------------------------


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def ticket_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    registration = selectors.registration_get(viewer=request.user, registration_id=pk)
    if not can_see_ticket(request.user, registration):
        raise NotFound("There is no ticket here: the registration is not confirmed or not yours.")
    return _pdf(
        draw_ticket(registration), f"ticket-{registration.event.slug}-{registration.pk}.pdf"
    )


@login_required
@require_GET
def invoice_pdf(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    order = selectors.order_get(viewer=request.user, reference=reference)
    if not order.invoice_number:
        raise NotFound("This order has no invoice: nothing was due.")
    return _pdf(draw_invoice(order), f"invoice-{order.invoice_number}.pdf")
