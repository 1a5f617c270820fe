"""Pages for people, organizations and settings: validate, call a service or selector, render."""

from __future__ import annotations

import json

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from townsquare.core.errors import DomainError
from townsquare.core.forms import form_errors_from
from townsquare.core.models import AuditRecord
from townsquare.core.uploads import attachment_response

from . import permissions, selectors, services
from .forms import (
    AccountDeleteForm,
    ApiTokenForm,
    DirectoryFilterForm,
    MemberAddForm,
    MemberRoleForm,
    OrganizationFilterForm,
    OrganizationForm,
    ProfileForm,
    RolesForm,
)
from .http import AuthenticatedHttpRequest
from .models import OrganizationInvitation

PAGE_SIZE = 24


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "accounts/home.html")


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    memberships = user.memberships.select_related("organization")
    recent_sign_ins = AuditRecord.objects.filter(
        actor_id=user.pk, action__in=["signin.succeeded"]
    ).order_by("-id")[:5]
    profile_steps = [
        ("Add a job title", bool(user.title)),
        ("Write a short bio", bool(user.bio)),
        ("Upload an avatar", bool(user.avatar)),
        ("Turn on two-factor authentication", Authenticator.objects.filter(user=user).exists()),
    ]
    return render(
        request,
        "accounts/dashboard.html",
        {
            "memberships": memberships,
            "recent_sign_ins": recent_sign_ins,
            "profile_steps": profile_steps,
            "is_professional": permissions.is_professional(user),
            "is_center_staff": permissions.is_center_staff(user),
        },
    )


@login_required
def directory(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    people = selectors.person_list(
        viewer=request.user, query=filters.get("q", ""), profession=filters.get("profession", "")
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/directory.html", {"form": form, "page": page})


@login_required
def person_detail(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_get(viewer=request.user, person_id=person_id)
    return render(
        request,
        "accounts/person_detail.html",
        {
            "person": person,
            "can_edit": permissions.can_edit_profile(request.user, person),
            "roles_form": RolesForm(initial={"roles": sorted(person.role_set)})
            if permissions.can_manage_roles(request.user)
            else None,
            "memberships": person.memberships.all(),
        },
    )


@login_required
@require_POST
def person_roles(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_get(viewer=request.user, person_id=person_id)
    form = RolesForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose roles from the list.")
    else:
        try:
            services.roles_set(
                actor=request.user,
                person=person,
                roles=set(form.cleaned_data["roles"]),
                request=request,
            )
        except DomainError as error:
            if error.status == 403:
                raise
            messages.error(request, error.message)
        else:
            messages.success(request, f"The roles of {person} are saved.")
    return redirect("accounts:person_detail", person_id=person.pk)


@login_required
def person_avatar(request: AuthenticatedHttpRequest, person_id: int) -> FileResponse:
    person = selectors.person_get(viewer=request.user, person_id=person_id)
    if not person.avatar:
        raise Http404("No avatar")
    extension = (person.avatar.name or "").rsplit(".", 1)[-1]
    response = attachment_response(person.avatar, download_name=f"avatar-{person.pk}.{extension}")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def settings_profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, request.FILES or None, instance=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(
                actor=user,
                person=user,
                changes=form.changes(),
                avatar_upload=form.cleaned_data.get("avatar_upload"),
                remove_avatar=form.cleaned_data.get("remove_avatar", False),
                request=request,
            )
        except DomainError as error:
            user.refresh_from_db()
            form_errors_from(error, form, {"avatar": "avatar_upload"})
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("accounts:settings_profile")
    return render(request, "accounts/settings_profile.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def settings_tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                request=request,
            )
        except DomainError as error:
            form_errors_from(error, form)
        else:
            new_token = issued.raw
            form = ApiTokenForm()
    tokens = request.user.api_tokens.all()
    return render(
        request,
        "accounts/settings_tokens.html",
        {"form": form, "tokens": tokens, "new_token": new_token},
    )


@login_required
@require_POST
def settings_token_revoke(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    token = services.api_token_revoke(user=request.user, token_id=token_id, request=request)
    messages.success(request, f"The token “{token.name}” is revoked.")
    return redirect("accounts:settings_tokens")


@login_required
def settings_privacy(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/settings_privacy.html",
        {"delete_form": AccountDeleteForm(user=request.user)},
    )


@login_required
def settings_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = selectors.account_export(user=request.user)
    from townsquare.core.audit import audit_record

    audit_record(action="account.exported", request=request, target=request.user)
    response = HttpResponse(json.dumps(data, indent=2), content_type="application/json")
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="townsquare-my-data-{stamp}.json"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def settings_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "accounts/settings_privacy.html", {"delete_form": form}, status=422)
    services.account_delete(user=request.user, request=request)
    logout(request)
    messages.success(request, "Your account and personal data are deleted.")
    return redirect("home")


def organization_list(request: HttpRequest) -> HttpResponse:
    form = OrganizationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organizations = selectors.organization_list(
        query=filters.get("q", ""), kind=filters.get("kind", "")
    )
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/organization_list.html",
        {
            "form": form,
            "page": page,
            "can_create": permissions.can_create_organization(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_create_organization(request.user):
        raise PermissionDenied("only staff create organizations")
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(
                actor=request.user,
                request=request,
                **form.cleaned_data,
            )
        except DomainError as error:
            form_errors_from(error, form)
        else:
            messages.success(request, f"{organization.name} is created.")
            return redirect("accounts:organization_detail", slug=organization.slug)
    return render(request, "accounts/organization_form.html", {"form": form, "organization": None})


def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = selectors.organization_get(slug=slug)
    can_see_members = permissions.can_view_organization_members(request.user, organization)
    memberships = (
        selectors.membership_list(viewer=request.user, organization=organization)
        if can_see_members
        else None
    )
    return render(
        request,
        "accounts/organization_detail.html",
        {
            "organization": organization,
            "memberships": memberships,
            "can_manage": permissions.can_manage_organization(request.user, organization),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organization = selectors.organization_get(slug=slug)
    if not permissions.can_manage_organization(request.user, organization):
        raise PermissionDenied("not a leader of this organization")
    form = OrganizationForm(request.POST or None, instance=organization)
    if not permissions.is_center_staff(request.user):
        del form.fields["email_domain"]
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        organization.refresh_from_db()
        try:
            services.organization_update(
                actor=request.user,
                organization=organization,
                changes=changes,
                request=request,
            )
        except DomainError as error:
            form_errors_from(error, form)
        else:
            messages.success(request, "The organization is saved.")
            return redirect("accounts:organization_detail", slug=organization.slug)
    return render(
        request, "accounts/organization_form.html", {"form": form, "organization": organization}
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_members(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organization = selectors.organization_get(slug=slug)
    if not permissions.can_manage_organization(request.user, organization):
        raise PermissionDenied("not a leader of this organization")
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.member_add_or_invite(
                actor=request.user,
                organization=organization,
                request=request,
                **form.cleaned_data,
            )
        except DomainError as error:
            form_errors_from(error, form)
        else:
            if isinstance(added, OrganizationInvitation):
                messages.success(
                    request, f"No account uses {added.email} yet: an invitation is on its way."
                )
            else:
                messages.success(request, f"{added.user} is added.")
            return redirect("accounts:organization_members", slug=slug)
    memberships = selectors.membership_list(viewer=request.user, organization=organization)
    invitations = selectors.invitation_list(viewer=request.user, organization=organization)
    return render(
        request,
        "accounts/organization_members.html",
        {
            "organization": organization,
            "form": form,
            "memberships": memberships,
            "invitations": invitations,
            "role_form": MemberRoleForm(),
        },
    )


@login_required
@require_POST
def organization_member_update(
    request: AuthenticatedHttpRequest, slug: str, membership_id: int
) -> HttpResponse:
    organization = selectors.organization_get(slug=slug)
    membership = selectors.membership_get(organization=organization, membership_id=membership_id)
    try:
        if request.POST.get("action") == "remove":
            services.membership_remove(actor=request.user, membership=membership, request=request)
            messages.success(request, f"{membership.user} is removed.")
        else:
            form = MemberRoleForm(request.POST)
            if not form.is_valid():
                messages.error(request, "Choose leader or member.")
            else:
                services.membership_change_role(
                    actor=request.user,
                    membership=membership,
                    role=form.cleaned_data["role"],
                    request=request,
                )
                messages.success(
                    request, f"{membership.user} is now a {form.cleaned_data['role']}."
                )
    except DomainError as error:
        if error.status == 403:
            raise
        messages.error(request, error.message)
    if membership.user_id == request.user.pk and not permissions.can_manage_organization(
        request.user, organization
    ):
        return redirect("accounts:organization_detail", slug=slug)
    return redirect("accounts:organization_members", slug=slug)


@login_required
@require_POST
def organization_invitation_revoke(
    request: AuthenticatedHttpRequest, slug: str, invitation_id: int
) -> HttpResponse:
    organization = selectors.organization_get(slug=slug)
    invitation = selectors.invitation_get(organization=organization, invitation_id=invitation_id)
    services.invitation_revoke(actor=request.user, invitation=invitation, request=request)
    messages.success(request, f"The invitation to {invitation.email} is withdrawn.")
    return redirect("accounts:organization_members", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_for_token(raw_token=token)
    if request.method == "POST":
        try:
            services.invitation_accept(user=request.user, raw_token=token, request=request)
        except DomainError as error:
            if error.status == 403:
                raise
            messages.error(request, error.message)
        else:
            messages.success(request, f"Welcome to {invitation.organization}.")
            return redirect("accounts:organization_detail", slug=invitation.organization.slug)
    return render(request, "accounts/invitation_accept.html", {"invitation": invitation})
