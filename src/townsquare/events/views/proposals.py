"""Pages of the call for proposals: the call, submitting, reviewing, deciding, one's own list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import DomainError, NotFound, PermissionRefused
from townsquare.core.forms import form_errors_from

from ..forms.proposals import CallForm, DecisionForm, ProposalForm, ReviewForm
from ..models import CallForProposals, Event, Proposal, ProposalStatus, SessionKind, Track
from ..permissions import (
    can_decide_proposal,
    can_manage_event,
    can_review_proposal,
    can_review_proposals,
    can_submit_proposal,
    can_view_event,
    can_view_proposal,
)
from ..selectors import after as event_selectors
from ..selectors import proposals as selectors
from ..services import proposals as services
from .attendance import managed_event


def _call(user: Any, slug: str) -> CallForProposals:
    event = event_selectors.event_by_slug(slug)
    if not can_view_event(user, event):
        raise NotFound("No such event.")
    call = selectors.call_for(event)
    if call is None:
        raise NotFound("This event has no call for proposals.")
    return call


@login_required
@require_http_methods(["GET", "POST"])
def call_manage(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    event = managed_event(request.user, slug)
    call = selectors.call_for(event)
    initial: dict[str, Any] = {}
    if call is not None:
        initial = {
            "guidelines": call.guidelines,
            "opens_at": call.opens_at,
            "closes_at": call.closes_at,
            "reviewers": "\n".join(
                call.reviewers.order_by("email").values_list("email", flat=True)
            ),
        }
    form = CallForm(request.POST or None, initial=initial, event=event)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.call_save(actor=request.user, event=event, **form.service_arguments())
            except DomainError as error:
                if error.status == 403:
                    raise
                form_errors_from(error, form, {"reviewer_emails": "reviewers"})
                status = error.status
            else:
                messages.success(request, "The call for proposals is saved.")
                return redirect("events:call_manage", slug=event.slug)
        else:
            status = 422
    return render(
        request,
        "events/proposals/call_manage.html",
        {"event": event, "call": call, "form": form},
        status=status,
    )


@require_GET
def call_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    call = _call(request.user, slug)
    return render(
        request,
        "events/proposals/call_detail.html",
        {
            "event": call.event,
            "call": call,
            "is_open": services.call_is_open(call),
            "has_opened": call.opens_at <= timezone.now(),
            "can_review": can_review_proposals(request.user, call),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_submit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    call = _call(request.user, slug)
    if not can_submit_proposal(request.user, call):
        raise PermissionRefused("This event takes no proposals.")
    event = call.event
    form = ProposalForm(request.POST or None, event=event)
    status = 200
    is_open = services.call_is_open(call)
    if request.method == "POST":
        if form.is_valid():
            try:
                proposal = services.proposal_submit(
                    actor=request.user, call=call, **form.cleaned_data
                )
            except DomainError as error:
                if error.status == 403:
                    raise
                form_errors_from(error, form)
                status = error.status
            else:
                messages.success(request, "Your proposal is submitted. We emailed you a receipt.")
                return redirect("events:proposal_detail", pk=proposal.pk)
        else:
            status = 422
    return render(
        request,
        "events/proposals/proposal_form.html",
        {"event": event, "call": call, "form": form, "is_open": is_open},
        status=status,
    )


@login_required
@require_GET
def my_proposals(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "events/proposals/my_proposals.html",
        {"proposals": selectors.my_proposal_list(request.user)},
    )


def _visible_proposal(user: Any, pk: int) -> Proposal:
    proposal = selectors.proposal_get(pk)
    if not can_view_proposal(user, proposal):
        raise PermissionRefused("Only the submitter and the call's reviewers may see a proposal.")
    return proposal


def _detail(
    request: AuthenticatedHttpRequest,
    proposal: Proposal,
    *,
    review_form: ReviewForm | None = None,
    decision_form: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    event = proposal.call.event
    may_review = can_review_proposal(request.user, proposal)
    may_decide = can_decide_proposal(request.user, proposal)
    is_open = proposal.status == ProposalStatus.SUBMITTED
    mine = None
    if may_review:
        mine = proposal.reviews.filter(reviewer=request.user).first()
    if review_form is None and may_review and is_open:
        initial = {"score": str(mine.score), "comment": mine.comment} if mine else {}
        review_form = ReviewForm(initial=initial)
    if decision_form is None and may_decide and is_open:
        decision_form = DecisionForm(event=event, initial={"track": proposal.track_id})
    return render(
        request,
        "events/proposals/proposal_detail.html",
        {
            "event": event,
            "proposal": proposal,
            "is_submitter": request.user.pk == proposal.submitter_id,
            "reviews": selectors.review_list(proposal) if may_review else None,
            "my_review": mine,
            "review_form": review_form if is_open else None,
            "decision_form": decision_form if is_open else None,
        },
        status=status,
    )


@login_required
@require_GET
def proposal_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible_proposal(request.user, pk))


@login_required
@require_POST
def proposal_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request.user, pk)
    try:
        services.proposal_withdraw(actor=request.user, proposal=proposal)
    except DomainError as error:
        if error.status == 403:
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, "Your proposal is withdrawn.")
    return redirect("events:proposal_detail", pk=proposal.pk)


@login_required
@require_POST
def proposal_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request.user, pk)
    if not can_review_proposal(request.user, proposal):
        raise PermissionRefused("You may not review your own proposal.")
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_review_save(
                actor=request.user, proposal=proposal, **form.cleaned_data
            )
        except DomainError as error:
            if error.status == 403:
                raise
            form_errors_from(error, form)
            return _detail(request, proposal, review_form=form, status=error.status)
        messages.success(request, "Your review is saved.")
        return redirect("events:proposal_detail", pk=proposal.pk)
    return _detail(request, proposal, review_form=form, status=422)


@login_required
@require_POST
def proposal_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request.user, pk)
    if not can_decide_proposal(request.user, proposal):
        raise PermissionRefused("Only the event's organizers decide, and never on their own.")
    form = DecisionForm(request.POST, event=proposal.call.event)
    if form.is_valid():
        try:
            proposal = services.proposal_decide(
                actor=request.user, proposal=proposal, **form.service_arguments()
            )
        except DomainError as error:
            if error.status == 403:
                raise
            form_errors_from(error, form)
            return _detail(request, proposal, decision_form=form, status=error.status)
        messages.success(
            request,
            f"The proposal is {proposal.get_status_display().lower()}; the submitter is emailed.",
        )
        return redirect("events:proposal_detail", pk=proposal.pk)
    return _detail(request, proposal, decision_form=form, status=422)


class ReviewFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *ProposalStatus.choices]
    )
    kind = forms.ChoiceField(required=False, choices=[("", "Any format"), *SessionKind.choices])
    track = forms.ModelChoiceField(queryset=Track.objects.none(), required=False)
    order = forms.ChoiceField(
        required=False,
        choices=[("score", "Highest score"), ("newest", "Newest"), ("oldest", "Oldest")],
        label="Sort by",
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        track = self.fields["track"]
        assert isinstance(track, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        track.queryset = Track.objects.filter(event=event)


@login_required
@require_GET
def proposals_review(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    event = event_selectors.event_by_slug(slug)
    call = selectors.call_for(event)
    if call is None and can_manage_event(request.user, event):
        # The organizer's navigation links here for every event: lead them to open a call.
        messages.info(request, "This event has no call for proposals yet; open one first.")
        return redirect("events:call_manage", slug=event.slug)
    if not can_view_event(request.user, event) or call is None:
        raise NotFound("This event has no call for proposals.")
    if not can_review_proposals(request.user, call):
        raise PermissionRefused("Only the call's reviewers and the organizers may review.")
    filters = ReviewFilterForm(request.GET or None, event=event)
    arguments: dict[str, Any] = {}
    if filters.is_valid():
        data = filters.cleaned_data
        arguments = {
            "status": data["status"],
            "kind": data["kind"],
            "track_id": data["track"].pk if data["track"] else None,
            "order": data["order"] or "score",
        }
    proposals = list(selectors.proposal_review_list(call, reviewer=request.user, **arguments))
    return render(
        request,
        "events/proposals/review_list.html",
        {"event": event, "call": call, "proposals": proposals, "filters": filters},
    )
