"""Moderation pages: flagging, the spaces I moderate, a space's queue and log, decisions, and a
person's standing in a space with the sanctions. Each view asks the gates (through the selector
or the service), validates a form, calls one service and redirects or renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionRefused,
    ValidationFailed,
)
from townsquare.privacy import PhiKind, highlight_html, scan

from ..forms.moderation import (
    FLAG_REASON_HELP,
    DecisionForm,
    FlagForm,
    LogFilterForm,
    SanctionForm,
    TargetForm,
)
from ..markdown import render_post
from ..models import Comment, ContentStatus, FlagStatus, Post, Space
from ..permissions import can_see_comment, can_see_post, is_global_moderator
from ..selectors import moderation as selectors
from ..services import moderation as services
from ..services.publishing import comment_url, post_url

LOG_PER_PAGE = 50
HOME_PER_PAGE = 50

DONE = {
    "approve": "Approved: it is published.",
    "reject": "Rejected: the author was told why.",
    "hide": "Hidden: the author was told why.",
    "restore": "Restored: it is published again.",
    "remove": "Removed: the author was told why.",
    "dismiss": "Flags dismissed.",
    "warn": "Warning sent.",
    "mute": "Muted.",
    "unmute": "The mute is lifted.",
    "ban": "Banned from the space.",
    "unban": "The ban is lifted.",
}


def _back(request: HttpRequest, target: str, fallback: str) -> str:
    """``target`` when it is an address on this site, else ``fallback``."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# --- Flagging --------------------------------------------------------------------------------


def _flag_target(request: HttpRequest) -> Post | Comment:
    """The post or comment named in the form or the address, if the person may see it."""
    named = request.method == "POST" and ("post" in request.POST or "comment" in request.POST)
    target_form = TargetForm(request.POST if named else request.GET)
    if not target_form.is_valid():
        raise NotFound("Say which post or comment you want to flag.")
    kind, pk = target_form.target
    if kind == selectors.POST:
        post = Post.objects.filter(pk=pk).select_related("space").first()
        if post is None or not can_see_post(request.user, post):
            raise NotFound("There is no such post.")
        return post
    comment = Comment.objects.filter(pk=pk).select_related("post__space").first()
    if comment is None or not can_see_comment(request.user, comment):
        raise NotFound("There is no such comment.")
    return comment


@login_required
def flag_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    target = _flag_target(request)
    refusal = selectors.flag_refusal(request.user, target)
    if refusal:
        raise PermissionRefused(refusal)
    back = comment_url(target) if isinstance(target, Comment) else post_url(target)
    form = FlagForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.flag_create(
                    actor=request.user,
                    target=target,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                    request=request,
                )
            except (ValidationFailed, Conflict) as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(
                    request,
                    "Thank you. The moderators of this space will look at it; "
                    "the person who wrote it is not told who flagged it.",
                )
                return redirect(back)
        else:
            status = 422
    return render(
        request,
        "community/moderation/flag_form.html",
        {
            "form": form,
            "target": target,
            "is_comment": isinstance(target, Comment),
            "post": target.post if isinstance(target, Comment) else target,
            "space": selectors.space_of(target),
            "back": back,
            "already_flagged": selectors.has_flagged(request.user, target),
            "reason_rows": [
                (radio, FLAG_REASON_HELP.get(radio.data["value"], "")) for radio in form["reason"]
            ],
            "reason_help": FLAG_REASON_HELP,
        },
        status=status,
    )


# --- The spaces I moderate -------------------------------------------------------------------


@login_required
def moderation_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not selectors.moderates_anything(request.user):
        raise PermissionRefused("Moderation is for the moderators of a space.")
    paginator = Paginator(selectors.spaces_moderated_by(request.user), HOME_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "community/moderation/home.html",
        {"page": page, "is_global": is_global_moderator(request.user)},
    )


# --- A space's queue and decisions -----------------------------------------------------------


def _render_queue(
    request: AuthenticatedHttpRequest,
    space: Space,
    *,
    error: DomainError | None = None,
    failed: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    queue = selectors.moderation_queue(request.user, space, page=request.GET.get("page"))
    for item in queue.items:
        _prepare(item)
    if failed and failed.get("key") not in {item.key for item in queue.items}:
        failed = None  # decided meanwhile, or on another page: the error goes to the top
    return render(
        request,
        "community/moderation/queue.html",
        {
            "space": space,
            "queue": queue,
            "page": queue.page,
            "error": error,
            "failed": failed or {},
            "reason_required": sorted(selectors.REASON_REQUIRED),
        },
        status=status,
    )


def phi_labels(kinds: list[str] | None) -> list[str]:
    """The privacy guard's kinds as people read them ("Medical record number")."""
    labels = dict(PhiKind.choices)
    return [str(labels.get(kind, kind)) for kind in kinds or []]


def _prepare(item: selectors.QueueItem) -> None:
    """The item's text for the page. What the privacy guard held is shown as the author wrote it
    with each finding marked (the moderator sees where, and nothing beyond the post itself);
    everything else is rendered as members would read it."""
    obj = item.obj
    title = getattr(obj, "title", "")
    item.phi_labels = phi_labels(obj.phi_kinds)  # type: ignore[attr-defined]
    item.marked = bool(obj.phi_kinds)  # type: ignore[attr-defined]
    if obj.phi_kinds:
        item.title_html = highlight_html(title, scan(title)) if title else ""  # type: ignore[attr-defined]
        item.body_html = highlight_html(obj.body, scan(obj.body))  # type: ignore[attr-defined]
    else:
        item.title_html = title  # type: ignore[attr-defined]
        item.body_html = render_post(obj.body)  # type: ignore[attr-defined]


@login_required
def moderation_queue(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    space = selectors.space_for_moderation(request.user, slug=slug)
    return _render_queue(request, space)


@login_required
@require_POST
def moderation_decide(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    space = selectors.space_for_moderation(request.user, slug=slug)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        return _render_queue(
            request,
            space,
            error=ValidationFailed(f"The decision was not sent: {first}"),
            status=422,
        )
    data = form.cleaned_data
    queue_url = reverse("community:moderation_queue", args=[space.slug])
    try:
        services.content_decide(
            actor=request.user,
            space=space,
            target_type=data["target_type"],
            target_id=data["target_id"],
            action=data["action"],
            reason=data["reason"],
            request=request,
        )
    except (ValidationFailed, Conflict) as error:
        if data["next"]:
            messages.error(request, error.message)
            return redirect(_back(request, data["next"], queue_url))
        failed = {"key": f"{data['target_type']}-{data['target_id']}", "reason": data["reason"]}
        return _render_queue(request, space, error=error, failed=failed, status=error.status)
    messages.success(request, DONE[data["action"]])
    return redirect(_back(request, data["next"], queue_url))


# --- The log ---------------------------------------------------------------------------------


@login_required
def moderation_log(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    space = selectors.space_for_moderation(request.user, slug=slug)
    form = LogFilterForm(request.GET or None)
    action = form.cleaned_data["action"] if form.is_valid() else ""
    paginator = Paginator(selectors.moderation_log(space, action=action), LOG_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    for entry in page.object_list:
        entry.subject_label = (  # type: ignore[attr-defined]
            selectors.person_label(request.user, space, entry.subject) if entry.subject else None
        )
    return render(
        request,
        "community/moderation/log.html",
        {"space": space, "page": page, "form": form},
    )


# --- People ----------------------------------------------------------------------------------


@login_required
def member_moderation(request: AuthenticatedHttpRequest, slug: str, user_id: int) -> HttpResponse:
    space = selectors.space_for_moderation(request.user, slug=slug)
    return _render_member(request, space, user_id)


def _render_member(
    request: AuthenticatedHttpRequest,
    space: Space,
    user_id: int,
    *,
    form: SanctionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    person = selectors.person_in_space(space, user_id=user_id)
    history = selectors.member_history(request.user, space, person)
    return render(
        request,
        "community/moderation/member.html",
        {
            "space": space,
            "history": history,
            "person": person,
            "form": form or SanctionForm(),
            "post_summary": _summary(history.post_counts, ContentStatus.choices),
            "comment_summary": _summary(history.comment_counts, ContentStatus.choices),
            "flag_summary": _summary(history.flag_counts, FlagStatus.choices),
            "max_mute_days": services.MAX_MUTE_DAYS,
        },
        status=status,
    )


def _summary(counts: dict[str, int], choices: list[tuple[str, str]]) -> str:
    """ "3 published, 1 hidden by a moderator" (or "none")."""
    parts = [f"{counts[value]} {label.lower()}" for value, label in choices if counts.get(value)]
    return ", ".join(parts) or "none"


@login_required
@require_POST
def sanction(request: AuthenticatedHttpRequest, slug: str, user_id: int) -> HttpResponse:
    space = selectors.space_for_moderation(request.user, slug=slug)
    form = SanctionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.person_sanction(
                actor=request.user,
                space=space,
                user_id=user_id,
                action=data["action"],
                reason=data["reason"],
                days=data["days"],
                request=request,
            )
        except (ValidationFailed, Conflict) as error:
            if error.field_errors:
                for name, problems in error.field_errors.items():
                    for problem in problems:
                        form.add_error(name if name in form.fields else None, problem)
            else:
                form.add_error(None, error.message)
            return _render_member(request, space, user_id, form=form, status=error.status)
        messages.success(request, DONE[data["action"]])
        return redirect("community:member_moderation", slug=space.slug, user_id=user_id)
    return _render_member(request, space, user_id, form=form, status=422)
