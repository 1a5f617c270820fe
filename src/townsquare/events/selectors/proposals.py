"""Reads for the call for proposals: the review list with scores, a person's own proposals."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, Exists, F, OuterRef, QuerySet, Subquery

from townsquare.core.errors import NotFound

from ..models import CallForProposals, Event, Proposal, ProposalReview

REVIEW_ORDERS: dict[str, tuple[Any, ...]] = {
    "score": (F("average_score").desc(nulls_last=True), "created_at", "pk"),
    "newest": ("-created_at", "-pk"),
    "oldest": ("created_at", "pk"),
}


def call_for(event: Event) -> CallForProposals | None:
    return CallForProposals.objects.filter(event=event).select_related("event").first()


def proposal_review_list(
    call: CallForProposals,
    *,
    reviewer: Any,
    status: str = "",
    track_id: int | None = None,
    kind: str = "",
    order: str = "score",
) -> QuerySet[Proposal]:
    """The call's proposals with average score, review count and the viewer's own score."""
    mine = ProposalReview.objects.filter(proposal=OuterRef("pk"), reviewer=reviewer.pk)
    proposals = (
        Proposal.objects.filter(call=call)
        .select_related("submitter", "track")
        .annotate(
            average_score=Avg("reviews__score"),
            review_count=Count("reviews"),
            my_score=Subquery(mine.values("score")[:1]),
            is_reviewed_by_me=Exists(mine),
        )
        .order_by(*REVIEW_ORDERS.get(order, REVIEW_ORDERS["score"]))
    )
    if status:
        proposals = proposals.filter(status=status)
    if track_id:
        proposals = proposals.filter(track_id=track_id)
    if kind:
        proposals = proposals.filter(kind=kind)
    return proposals


def my_proposal_list(user: Any) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(submitter=user)
        .select_related("call__event", "session")
        .order_by("-created_at", "-pk")
    )


def proposal_get(pk: int) -> Proposal:
    proposal = (
        Proposal.objects.select_related(
            "call__event", "submitter", "track", "session", "decided_by"
        )
        .filter(pk=pk)
        .first()
    )
    if proposal is None:
        raise NotFound("No such proposal.")
    return proposal


def review_list(proposal: Proposal) -> QuerySet[ProposalReview]:
    return proposal.reviews.select_related("reviewer").order_by("created_at", "pk")
