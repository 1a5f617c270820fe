"""Sign-ins, sign-outs and failed sign-ins go to the audit log.

Receivers of Django's own authentication signals: the only hook Django offers for these events.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from townsquare.core.audit import audit_record


@receiver(user_logged_in, dispatch_uid="audit_signed_in")
def audit_signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action="signin.succeeded", actor=user, target=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_signed_out")
def audit_signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action="signin.signed_out", actor=user, target=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_signin_failed")
def audit_signin_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    attempted = str(credentials.get("email") or credentials.get("username") or "")[:200]
    audit_record(action="signin.failed", request=request, data={"email": attempted.lower()})
