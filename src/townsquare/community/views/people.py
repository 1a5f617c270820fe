"""People pages: a community profile with the person's posts, follow and unfollow (people and
spaces), what I follow, my handle and pseudonym, and clinician verification for center staff.
Each view validates, calls one service or selector, and renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.accounts.models import User
from townsquare.accounts.permissions import can_view_profile, is_patient_only, is_professional
from townsquare.core.errors import DomainError, NotFound, PermissionRefused
from townsquare.core.forms import form_errors_from
from townsquare.core.models import MAX_OBJECT_ID

from ..forms.people import ClinicianSearchForm, ClinicianVerifyForm, ProfileForm
from ..models import CommunityProfile, Space
from ..permissions import (
    can_follow_person,
    can_follow_space,
    can_see_real_identity,
    can_verify_clinicians,
    in_patient_community,
    profile_of,
)
from ..permissions_people import can_edit_community_profile
from ..selectors import people as selectors
from ..selectors.feeds import person_posts
from ..selectors.search import cursor_checked, feed_cards_prime
from ..selectors.visibility import readable_space_ids
from ..services import people as services
from ..services.profiles import profile_ensure

FOLLOWS_PER_PAGE = 50
CLINICIANS_PER_PAGE = 50
OUTSIDE_COMMUNITY = (
    "The community is for staff of member organizations, patients and caregivers, and "
    "clinicians the center has verified; your account does not take part in it."
)


def _back(request: HttpRequest, fallback: str) -> str:
    """The ``next`` address of the form when it is on this site, else ``fallback``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _check_takes_part(user: Any) -> None:
    if not can_edit_community_profile(user):
        raise PermissionRefused(OUTSIDE_COMMUNITY)


# --- A person's profile ------------------------------------------------------------------------


@login_required
@require_GET
def person_detail(request: AuthenticatedHttpRequest, handle: str) -> HttpResponse:
    profile = selectors.person_get(viewer=request.user, handle=handle)
    if profile.handle != handle:  # "@Ana.B" or "ANA.B": one address per person
        query = request.GET.urlencode()
        target = reverse("community:person_detail", args=[profile.handle])
        return redirect(f"{target}?{query}" if query else target, permanent=True)
    person = profile.user
    viewer = request.user
    cursor = cursor_checked(request.GET.get("cursor", ""))
    page = person_posts(viewer, person, cursor=cursor)
    feed_cards_prime(viewer, page.items)
    is_me = viewer.pk == person.pk
    return render(
        request,
        "community/people/person_detail.html",
        {
            "profile": profile,
            "person": person,
            "page": page,
            "stats": selectors.follow_stats(viewer=viewer, person=person),
            "is_me": is_me,
            "may_follow": can_follow_person(viewer, person),
            "shows_identity": can_see_real_identity(viewer, None, person),
            "is_private_person": not is_me and is_patient_only(person),
            "links_account_profile": can_view_profile(viewer, person),
            "next_url": request.get_full_path(),
            "posts_label": "Your posts" if is_me else f"Posts by {person.display_name}",
            "empty_text": "You have not posted yet."
            if is_me
            else f"No posts by {person.display_name} that you can see.",
        },
    )


def _person_button(
    request: AuthenticatedHttpRequest, profile: CommunityProfile, *, message: str
) -> HttpResponse:
    return render(
        request,
        "community/people/_follow_person_button.html",
        {
            "profile": profile,
            "is_following": selectors.is_following_person(
                follower=request.user, person=profile.user
            ),
            "may_follow": can_follow_person(request.user, profile.user),
            "next_url": _back(request, ""),
            "follow_message": message,
        },
    )


@login_required
@require_POST
def follow_person(request: AuthenticatedHttpRequest, handle: str) -> HttpResponse:
    profile = selectors.person_get(viewer=request.user, handle=handle)
    result = services.follow_person(actor=request.user, person=profile.user)
    name = profile.user.display_name
    done = (
        f"You follow {name}: what they post under their own name reaches your home feed."
        if result.created
        else f"You already follow {name}."
    )
    if _is_htmx(request):
        return _person_button(request, profile, message=done)
    messages.success(request, done)
    return redirect(_back(request, reverse("community:person_detail", args=[profile.handle])))


@login_required
@require_POST
def unfollow_person(request: AuthenticatedHttpRequest, handle: str) -> HttpResponse:
    profile = selectors.person_for_unfollow(viewer=request.user, handle=handle)
    removed = services.unfollow_person(actor=request.user, person=profile.user)
    name = profile.user.display_name
    done = f"You no longer follow {name}." if removed else f"You were not following {name}."
    if _is_htmx(request):
        return _person_button(request, profile, message=done)
    messages.success(request, done)
    return redirect(_back(request, reverse("community:following")))


# --- Following spaces --------------------------------------------------------------------------


def _space_button(request: AuthenticatedHttpRequest, space: Space, *, message: str) -> HttpResponse:
    return render(
        request,
        "community/people/_follow_space_button.html",
        {
            "space": space,
            "is_following": selectors.is_following_space(follower=request.user, space=space),
            "may_follow": can_follow_space(request.user, space),
            "next_url": _back(request, ""),
            "follow_message": message,
        },
    )


@login_required
@require_POST
def follow_space(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    space = selectors.space_for_follow(viewer=request.user, slug=slug)
    result = services.follow_space(actor=request.user, space=space)
    done = (
        f"You follow {space.name}: its posts reach your home feed."
        if result.created
        else f"You already follow {space.name}."
    )
    if _is_htmx(request):
        return _space_button(request, space, message=done)
    messages.success(request, done)
    return redirect(_back(request, reverse("community:space_detail", args=[space.slug])))


@login_required
@require_POST
def unfollow_space(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    space = selectors.space_for_unfollow(viewer=request.user, slug=slug)
    removed = services.unfollow_space(actor=request.user, space=space)
    done = (
        f"You no longer follow {space.name}; you stay a member if you were one."
        if removed
        else f"You were not following {space.name}."
    )
    if _is_htmx(request):
        return _space_button(request, space, message=done)
    messages.success(request, done)
    return redirect(_back(request, reverse("community:following")))


# --- What I follow -----------------------------------------------------------------------------


@login_required
@require_GET
def following(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    _check_takes_part(user)
    people = Paginator(selectors.followed_people(user=user), FOLLOWS_PER_PAGE)
    spaces = Paginator(selectors.followed_spaces(user=user), FOLLOWS_PER_PAGE)
    followers = Paginator(
        selectors.followers_of(user=user).filter(follower__is_active=True), FOLLOWS_PER_PAGE
    )
    return render(
        request,
        "community/people/following.html",
        {
            "people_page": people.get_page(request.GET.get("people")),
            "spaces_page": spaces.get_page(request.GET.get("spaces")),
            "followers_page": followers.get_page(request.GET.get("followers")),
            "readable_ids": set(readable_space_ids(user)),
            # Followers could open my profile, so they are professionals or center people; a
            # professional may open theirs in turn (a patient may not open anyone's).
            "links_followers": is_professional(user),
            "next_url": request.get_full_path(),
        },
    )


# --- My profile --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    _check_takes_part(user)
    may_use_pseudonym = in_patient_community(user)
    status = 200
    if request.method == "POST":
        # Nothing is written unless the service accepts the change (not even a first profile).
        profile = profile_of(user)
        form = ProfileForm(request.POST, may_use_pseudonym=may_use_pseudonym)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.profile_update(
                    actor=user,
                    handle=data["handle"],
                    pseudonym=data["pseudonym"]
                    if may_use_pseudonym
                    else (profile.pseudonym if profile else ""),
                    use_pseudonym=bool(data.get("use_pseudonym")) and may_use_pseudonym,
                )
            except DomainError as error:
                if error.status != 422:
                    raise
                form_errors_from(error, form)
            else:
                messages.success(request, "Your community profile is saved.")
                return redirect("community:profile_settings")
        status = 422
    else:
        profile = profile_ensure(user)
        form = ProfileForm(
            initial={
                "handle": profile.handle,
                "pseudonym": profile.pseudonym,
                "use_pseudonym": profile.use_pseudonym,
            },
            may_use_pseudonym=may_use_pseudonym,
        )
    return render(
        request,
        "community/people/profile_settings.html",
        {"form": form, "profile": profile, "may_use_pseudonym": may_use_pseudonym},
        status=status,
    )


# --- Clinicians (center staff) -----------------------------------------------------------------


def _check_verifier(user: Any) -> None:
    if not can_verify_clinicians(user):
        raise PermissionRefused("Only center staff verify clinicians.")


def _clinician_page(
    request: AuthenticatedHttpRequest,
    *,
    failed_for: int | None = None,
    failed_form: ClinicianVerifyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    search = ClinicianSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    verified = Paginator(selectors.clinicians_verified(), CLINICIANS_PER_PAGE)
    candidates = selectors.clinician_candidates(query=query)
    return render(
        request,
        "community/people/clinician_list.html",
        {
            "search": search,
            "query": query,
            "candidates": candidates,
            "verified_page": verified.get_page(request.GET.get("page")),
            "failed_for": failed_for,
            "failed_form": failed_form,
            "failed_in_candidates": any(person.pk == failed_for for person in candidates),
            "next_url": request.get_full_path(),
        },
        status=status,
    )


@login_required
@require_GET
def clinician_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _check_verifier(request.user)
    return _clinician_page(request)


def _person(user_id: int) -> User:
    person = User.objects.filter(pk=user_id).first() if 0 < user_id <= MAX_OBJECT_ID else None
    if person is None:
        raise NotFound("There is no such person.")
    return person


@login_required
@require_POST
def clinician_verify(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    _check_verifier(request.user)
    person = _person(user_id)
    form = ClinicianVerifyForm(request.POST)
    if form.is_valid():
        try:
            services.clinician_verify(
                actor=request.user,
                person=person,
                title=form.cleaned_data["title"],
                request=request,
            )
        except DomainError as error:
            if error.status != 422:
                raise
            form_errors_from(error, form)
        else:
            messages.success(
                request,
                f"{person.display_name} is a verified clinician "
                f"({form.cleaned_data['title'].strip()}).",
            )
            return redirect(_back(request, reverse("community:clinician_list")))
    return _clinician_page(request, failed_for=person.pk, failed_form=form, status=422)


@login_required
@require_POST
def clinician_unverify(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    _check_verifier(request.user)
    person = _person(user_id)
    services.clinician_unverify(actor=request.user, person=person, request=request)
    messages.success(request, f"{person.display_name} is no longer marked as a verified clinician.")
    return redirect(_back(request, reverse("community:clinician_list")))
