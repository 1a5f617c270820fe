"""Spaces pages: the directory, opening and editing a space, a space's page (header, then its
posts for those who may read them), joining with the guidelines accepted, leaving, invitations,
and the member list with the managers' decisions. Each view asks the gates (through the
selectors and services), validates a form, calls one service or selector and renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.accounts.models import Organization
from townsquare.accounts.permissions import is_center_staff
from townsquare.core.errors import Conflict, DomainError, NotFound, PermissionRefused
from townsquare.core.forms import form_errors_from
from townsquare.core.models import MAX_OBJECT_ID
from townsquare.notifications.forms import ScopeSettingForm
from townsquare.notifications.services import scope_level_of

from ..forms.spaces import (
    ArchiveForm,
    DecisionForm,
    InviteForm,
    JoinForm,
    RemoveForm,
    RoleForm,
    SpaceFilterForm,
    SpaceForm,
)
from ..models import Follow, MembershipStatus, Space, SpaceKind
from ..permissions import can_create_space, can_see_space
from ..selectors import spaces as selectors
from ..selectors.feeds import space_feed
from ..selectors.visibility import usable_kinds
from ..services import spaces as services

SPACES_PER_PAGE = 50
MEMBERS_PER_PAGE = 100
PENDING_SHOWN = 200
FEED_TEMPLATE = "community/feeds/feed_list.html"
FEED_FALLBACK = "community/spaces/_feed_fallback.html"
OUTSIDE_COMMUNITY = (
    "The community is for staff of member organizations, patients and caregivers, and "
    "clinicians the center has verified; your account does not take part in it."
)


def _url(name: str, *args: Any) -> str:
    """A link to another section's page, or blank while that page does not exist yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _feed_template() -> str:
    try:
        get_template(FEED_TEMPLATE)
    except TemplateDoesNotExist:
        return FEED_FALLBACK
    return FEED_TEMPLATE


def _space(request: HttpRequest, slug: str) -> Space:
    return selectors.space_get(viewer=request.user, slug=slug)


def _managed_space(request: HttpRequest, slug: str) -> Space:
    return selectors.space_for_managing(viewer=request.user, space=_space(request, slug))


def _creatable_kinds(user: Any) -> list[str]:
    return [kind for kind in SpaceKind.values if can_create_space(user, kind)]


def _organizations(user: Any, space: Space | None = None) -> QuerySet[Organization]:
    if is_center_staff(user):
        return Organization.objects.order_by("name")
    chosen = Organization.objects.filter(memberships__user=user)
    if space is not None and space.organization_id:
        chosen = chosen | Organization.objects.filter(pk=space.organization_id)
    return chosen.distinct().order_by("name")


# --- The directory ---------------------------------------------------------------------------


@login_required
@require_GET
def space_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    kinds = usable_kinds(request.user)
    form = SpaceFilterForm(request.GET or None, kinds=kinds)
    filters = form.filters()
    page = Paginator(
        selectors.space_list(viewer=request.user, filters=filters), SPACES_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "community/spaces/space_list.html",
        {
            "form": form,
            "page": page,
            "filters": filters,
            "outside": not kinds,
            "outside_message": OUTSIDE_COMMUNITY,
            "can_create": bool(_creatable_kinds(request.user)),
        },
    )


# --- Opening and editing ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def space_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    kinds = _creatable_kinds(request.user)
    if not kinds:
        raise PermissionRefused(
            "Staff-network members open staff spaces; center staff and moderators open "
            "patient groups."
        )
    form = SpaceForm(
        request.POST if request.method == "POST" else None,
        kinds=kinds,
        organizations=_organizations(request.user),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                space = services.space_create(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    request=request,
                    **form.service_fields(),
                )
            except DomainError as error:
                if isinstance(error, PermissionRefused | NotFound):
                    raise
                form_errors_from(error, form)
            else:
                messages.success(
                    request, f"Opened “{space.name}”. You are its moderator; invite people in."
                )
                return redirect("community:space_detail", slug=space.slug)
        status = 422
    return render(
        request,
        "community/spaces/space_form.html",
        {"form": form, "space": None},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def space_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    space = _managed_space(request, slug)
    form = SpaceForm(
        request.POST if request.method == "POST" else None,
        initial=SpaceForm.initial_for(space),
        organizations=_organizations(request.user, space),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.space_update(
                    actor=request.user,
                    space=space,
                    fields=form.service_fields(),
                    request=request,
                )
            except DomainError as error:
                if isinstance(error, PermissionRefused | NotFound):
                    raise
                form_errors_from(error, form)
            else:
                messages.success(request, "Saved the space.")
                return redirect("community:space_edit", slug=space.slug)
        status = 422
    return render(
        request,
        "community/spaces/space_form.html",
        {"form": form, "space": space},
        status=status,
    )


@login_required
@require_POST
def space_archive(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    space = _managed_space(request, slug)
    form = ArchiveForm(request.POST)
    archived = form.is_valid() and bool(form.cleaned_data["archived"])
    try:
        services.space_archive(actor=request.user, space=space, archived=archived, request=request)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "Archived the space: it is read only now."
            if archived
            else "The space is open for posts again.",
        )
    return redirect("community:space_edit", slug=space.slug)


# --- A space's page --------------------------------------------------------------------------


def _notification_form(request: HttpRequest, space: Space) -> ScopeSettingForm:
    return ScopeSettingForm(
        initial={
            "scope": space.scope,
            "scope_label": space.name,
            "level": scope_level_of(request.user, space.scope),
            "next": request.path,
        },
        auto_id="id_notify_%s",
    )


@login_required
@require_GET
def space_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    space = _space(request, slug)
    standing = selectors.standing_of(request.user, space)
    context: dict[str, Any] = {
        "space": space,
        "standing": standing,
        "moderators": selectors.member_rows(
            viewer=request.user, space=space, memberships=selectors.space_moderators(space)
        ),
        "visibility_label": selectors.describe_visibility(space),
        "page": None,
    }
    if standing.can_read:
        context.update(
            page=space_feed(request.user, space, cursor=request.GET.get("cursor", "")),
            feed_template=_feed_template(),
            notification_form=_notification_form(request, space),
            scope_setting_url=_url("notifications:scope_setting"),
            is_following=Follow.objects.filter(follower=request.user, space=space).exists(),
            follow_url=_url("community:follow_space", space.slug),
            unfollow_url=_url("community:unfollow_space", space.slug),
            new_post_url=_url("community:post_create", space.slug) if standing.can_post else "",
        )
    if standing.can_manage:
        context["moderation_url"] = _url("community:moderation_queue", space.slug)
    return render(request, "community/spaces/space_detail.html", context)


# --- Joining and leaving ---------------------------------------------------------------------


def _join_refusal(space: Space, standing: selectors.SpaceStanding) -> str:
    if standing.is_banned:
        return "You were banned from this space and cannot join it again."
    if space.archived_at is not None:
        return "This space is archived: no one can join it."
    return "This space is by invitation only."


@login_required
@require_http_methods(["GET", "POST"])
def space_join(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    space = _space(request, slug)
    standing = selectors.standing_of(request.user, space)
    if standing.is_member:
        messages.info(request, f"You are a member of “{space.name}” already.")
        return redirect("community:space_detail", slug=space.slug)
    if not standing.can_join and not standing.has_requested:
        raise PermissionRefused(_join_refusal(space, standing))
    form = JoinForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and not standing.has_requested:
        if form.is_valid():
            try:
                membership = services.membership_join(
                    actor=request.user,
                    space=space,
                    accept_guidelines=form.cleaned_data["accept_guidelines"],
                    request=request,
                )
            except Conflict as error:
                messages.info(request, error.message)
                return redirect("community:space_detail", slug=space.slug)
            except DomainError as error:
                if isinstance(error, PermissionRefused | NotFound):
                    raise
                form_errors_from(error, form)
            else:
                if membership.status == MembershipStatus.REQUESTED:
                    messages.success(
                        request,
                        f"You asked to join “{space.name}”. A moderator will decide; you will "
                        "be told.",
                    )
                else:
                    messages.success(request, f"Welcome to “{space.name}”.")
                return redirect("community:space_detail", slug=space.slug)
        status = 422
    return render(
        request,
        "community/spaces/space_join.html",
        {"space": space, "standing": standing, "form": form},
        status=status,
    )


LEFT_MESSAGES = {
    "left": "You left “{name}”.",
    "withdrawn": "You withdrew your request to join “{name}”.",
    "declined": "You declined the invitation to “{name}”.",
}


def _after_leaving(request: HttpRequest, space: Space) -> HttpResponse:
    if can_see_space(request.user, space):
        return redirect("community:space_detail", slug=space.slug)
    return redirect("community:space_list")


@login_required
@require_POST
def space_leave(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    space = _space(request, slug)
    try:
        outcome = services.membership_leave(actor=request.user, space=space, request=request)
    except Conflict as error:
        messages.error(request, error.message)
        return redirect("community:space_detail", slug=space.slug)
    messages.success(request, LEFT_MESSAGES[outcome].format(name=space.name))
    return _after_leaving(request, space)


@login_required
@require_POST
def invitation_decline(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    space = _space(request, slug)
    try:
        services.invitation_decline(actor=request.user, space=space, request=request)
    except Conflict as error:
        messages.error(request, error.message)
        return redirect("community:space_detail", slug=space.slug)
    messages.success(request, LEFT_MESSAGES["declined"].format(name=space.name))
    return _after_leaving(request, space)


# --- Members ---------------------------------------------------------------------------------


def _members_page(
    request: AuthenticatedHttpRequest,
    space: Space,
    *,
    invite_form: InviteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    selectors.space_for_members(viewer=request.user, space=space)
    standing = selectors.standing_of(request.user, space)
    members = Paginator(
        selectors.memberships_of(space, MembershipStatus.ACTIVE), MEMBERS_PER_PAGE
    ).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "space": space,
        "standing": standing,
        "page": members,
        "rows": selectors.member_rows(viewer=request.user, space=space, memberships=members),
    }
    if standing.can_manage:

        def rows_of(status: str) -> list[selectors.MemberRow]:
            memberships = selectors.memberships_of(space, status)[:PENDING_SHOWN]
            return selectors.member_rows(viewer=request.user, space=space, memberships=memberships)

        context.update(
            requested=rows_of(MembershipStatus.REQUESTED),
            invited=rows_of(MembershipStatus.INVITED),
            banned=rows_of(MembershipStatus.BANNED),
            invite_form=invite_form or InviteForm(),
            remove_form=RemoveForm(auto_id=False),
            is_patient=space.is_patient,
        )
    return render(request, "community/spaces/space_members.html", context, status=status)


@login_required
@require_GET
def space_members(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _members_page(request, _space(request, slug))


@login_required
@require_POST
def member_invite(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    space = _managed_space(request, slug)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            membership = services.membership_invite(
                actor=request.user, space=space, who=form.cleaned_data["who"], request=request
            )
        except DomainError as error:
            if isinstance(error, PermissionRefused | NotFound):
                raise
            form_errors_from(error, form)
        else:
            row = selectors.member_row(viewer=request.user, space=space, membership=membership)
            messages.success(request, f"Invited {row.label.name}. They will be told.")
            return redirect("community:space_members", slug=space.slug)
    return _members_page(request, space, invite_form=form, status=422)


def _managed_membership(request: HttpRequest, slug: str, membership_id: int) -> Any:
    space = _managed_space(request, slug)
    if membership_id > MAX_OBJECT_ID:
        raise NotFound("No such member of this space.")
    return selectors.membership_for_managing(space=space, membership_id=membership_id)


def _decided(request: HttpRequest, space: Space, action: Any, done: str) -> HttpResponse:
    try:
        action()
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("community:space_members", slug=space.slug)


@login_required
@require_POST
def request_decide(
    request: AuthenticatedHttpRequest, slug: str, membership_id: int
) -> HttpResponse:
    membership = _managed_membership(request, slug, membership_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose approve or decline.")
        return redirect("community:space_members", slug=slug)
    approve = form.cleaned_data["decision"] == "approve"
    name = selectors.member_row(
        viewer=request.user, space=membership.space, membership=membership
    ).label.name
    return _decided(
        request,
        membership.space,
        lambda: services.membership_decide(
            actor=request.user, membership=membership, approve=approve, request=request
        ),
        f"{name} is a member now." if approve else f"Declined {name}'s request.",
    )


@login_required
@require_POST
def member_role(request: AuthenticatedHttpRequest, slug: str, membership_id: int) -> HttpResponse:
    membership = _managed_membership(request, slug, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose moderator or member.")
        return redirect("community:space_members", slug=slug)
    appoint = form.cleaned_data["role"] == "moderator"
    name = selectors.member_row(
        viewer=request.user, space=membership.space, membership=membership
    ).label.name
    return _decided(
        request,
        membership.space,
        lambda: services.moderator_set(
            actor=request.user, membership=membership, is_moderator=appoint, request=request
        ),
        f"{name} is a moderator now." if appoint else f"{name} is no longer a moderator.",
    )


@login_required
@require_POST
def member_remove(request: AuthenticatedHttpRequest, slug: str, membership_id: int) -> HttpResponse:
    membership = _managed_membership(request, slug, membership_id)
    form = RemoveForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if not form.is_valid():
        messages.error(request, "The reason is too long.")
        return redirect("community:space_members", slug=slug)
    name = selectors.member_row(
        viewer=request.user, space=membership.space, membership=membership
    ).label.name
    was_invited = membership.status == MembershipStatus.INVITED
    return _decided(
        request,
        membership.space,
        lambda: services.member_remove(
            actor=request.user, membership=membership, reason=reason, request=request
        ),
        f"Took back the invitation of {name}." if was_invited else f"Removed {name}.",
    )
