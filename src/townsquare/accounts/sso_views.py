"""“Sign in with your organization”: a work email address picks the organization's identity
provider, and the person goes straight there."""

from __future__ import annotations

import logging
from typing import Any

import requests
from allauth.account.utils import get_next_redirect_url
from allauth.socialaccount.providers.base.constants import AuthProcess
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods
from onelogin.saml2.errors import OneLogin_Saml2_Error

from . import sso

logger = logging.getLogger(__name__)


class SsoStartForm(forms.Form):
    email = forms.EmailField(
        label="Work email address",
        max_length=254,
        help_text="The address your organization gave you, e.g. name@hospital.org.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


def _provider_redirect(request: HttpRequest, app: Any, email: str) -> HttpResponse:
    """Start the hand-shake at the provider, as allauth's own login view does after its POST."""
    provider = app.get_provider(request)
    arguments: dict[str, Any] = {"process": AuthProcess.LOGIN}
    next_url = get_next_redirect_url(request)
    if next_url:
        arguments["next_url"] = next_url
    if sso.protocol_of(app) == sso.OIDC:
        arguments["auth_params"] = {**provider.get_auth_params(), "login_hint": email}
    return provider.redirect(request, **arguments)


@require_http_methods(["GET", "POST"])
def sso_start(request: HttpRequest) -> HttpResponse:
    form = SsoStartForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "next": get_next_redirect_url(request) or ""}
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        app = sso.sso_app_for_email(email)
        if app is None:
            context["unknown_domain"] = sso.email_domain_of(email)
        else:
            try:
                return _provider_redirect(request, app, email)
            except (
                requests.RequestException,
                OAuth2Error,
                OneLogin_Saml2_Error,
                OSError,
            ):
                logger.exception("Single sign-on provider %s unreachable", app.provider_id)
                context["unreachable"] = app.name
    return render(request, "accounts/sso_start.html", context)
