"""Credential pages: my credentials, one credential with its downloads, revocation, the public
verification page and the Open Badges issuer document."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import get_usage

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import DomainError, PermissionRefused, RateLimited

from .. import permissions
from ..forms.credentials import RevokeForm
from ..selectors import credentials as selectors
from ..services import badges
from ..services.certificate_pdf import certificate_pdf
from ..services.credentials import credential_revoke, verification_code_normalize


def _client_address(group: str, request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def verify_rate_check(request: HttpRequest) -> None:
    """Count a lookup for this client address; past the limit refuse, so codes can't be guessed."""
    usage = get_usage(
        request,
        group="credential-verify",
        key=_client_address,
        rate=settings.RATE_LIMIT_CREDENTIAL_VERIFY,
        increment=True,
    )
    if usage is not None and usage["should_limit"]:
        raise RateLimited("Too many verification lookups from your address. Wait a minute.")


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: anyone may check a certificate. Shows no email and nothing beyond the certificate."""
    verify_rate_check(request)
    normalized = verification_code_normalize(code)
    credential = selectors.credential_by_code(code=normalized) if normalized else None
    if credential is None:
        return render(
            request, "academy/credentials/verify_missing.html", {"code": code[:40]}, status=404
        )
    return render(
        request,
        "academy/credentials/verify.html",
        {"credential": credential, "issuer_name": badges.ISSUER_NAME},
    )


@require_GET
def issuer(request: HttpRequest) -> JsonResponse:
    """The Open Badges issuer Profile with its public key (a Multikey) for verifiers."""
    response = JsonResponse(badges.issuer_document(), json_dumps_params={"indent": 2})
    response["Content-Type"] = "application/ld+json"
    return response


@require_GET
def revocation_list(request: HttpRequest) -> JsonResponse:
    """The 1EdTech Revocation List every badge's ``credentialStatus`` names: public, as the
    verification page is."""
    return JsonResponse(
        badges.revocation_list(selectors.revoked_credentials()), json_dumps_params={"indent": 2}
    )


@login_required
def my_credentials(request: AuthenticatedHttpRequest) -> HttpResponse:
    credentials = list(selectors.credential_list(user=request.user))
    return render(request, "academy/credentials/my_credentials.html", {"credentials": credentials})


@login_required
def credential_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    credential = selectors.credential_get(viewer=request.user, credential_id=pk)
    can_revoke = permissions.can_revoke_credential(request.user) and not credential.is_revoked
    return render(
        request,
        "academy/credentials/detail.html",
        {
            "credential": credential,
            "verify_url": f"{settings.SITE_URL.rstrip('/')}/verify/{credential.verification_code}",
            "revoke_form": RevokeForm() if can_revoke else None,
            "issuer_name": badges.ISSUER_NAME,
        },
    )


@login_required
@require_GET
def credential_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    credential = selectors.credential_get(viewer=request.user, credential_id=pk)
    response = HttpResponse(certificate_pdf(credential), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="certificate-{credential.verification_code}.pdf"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def credential_badge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    credential = selectors.credential_get(viewer=request.user, credential_id=pk)
    document = badges.credential_badge(credential)
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False), content_type="application/ld+json"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="badge-{credential.verification_code}.json"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def credential_revoke_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    credential = selectors.credential_get(viewer=request.user, credential_id=pk)
    if not permissions.can_revoke_credential(request.user):
        raise PermissionRefused("Only center staff may revoke credentials.")
    form = RevokeForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "academy/credentials/detail.html",
            {
                "credential": credential,
                "verify_url": f"{settings.SITE_URL.rstrip('/')}/verify/"
                f"{credential.verification_code}",
                "revoke_form": form,
                "issuer_name": badges.ISSUER_NAME,
            },
            status=422,
        )
    try:
        credential_revoke(
            actor=request.user, credential=credential, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        if error.status == 403:
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, "The credential is revoked. The verification page says so.")
    return redirect("academy:credential_detail", pk=credential.pk)
