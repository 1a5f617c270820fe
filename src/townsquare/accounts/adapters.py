"""django-allauth hooks: mail through our task queue, profile fields at sign-up, affiliation by
verified email domain, organization single sign-on."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest

from townsquare.core.email import email_queue

from . import services


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        message = self.render_mail(template_prefix, email, context)
        html_body = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html_body = str(content)
        email_queue(to=list(message.to), subject=str(message.subject), body=str(message.body),
                    html_body=html_body, from_email=message.from_email)

    def confirm_email(self, request: HttpRequest, email_address: Any) -> bool:
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            services.affiliation_from_verified_email(user=email_address.user,
                                                     email=email_address.email, request=request)
        return confirmed


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on through an organization's identity provider (see accounts/sso.py)."""

    def save_user(self, request: HttpRequest, sociallogin: Any, form: Any = None) -> Any:
        user = super().save_user(request, sociallogin, form)
        services.affiliation_from_single_sign_on(user=user, sociallogin=sociallogin,
                                                 request=request)
        return user

    def populate_user(self, request: HttpRequest, sociallogin: Any, data: dict[str, Any]) -> Any:
        user = super().populate_user(request, sociallogin, data)
        name = " ".join(part for part in (data.get("first_name"), data.get("last_name")) if part)
        user.display_name = (data.get("name") or name or user.email.split("@")[0])[:120]
        return user
