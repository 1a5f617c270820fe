"""Sign-ins, sign-outs and failed sign-ins go to the audit log; a token or person that changes is
authenticated from the database again.

Receivers of Django's own authentication signals: the only hook Django offers for these events.
The model signals catch every save and delete of tokens and people, wherever it is written.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from townsquare.core.audit import audit_record

from .models import ApiToken, User
from .services import api_tokens_changed, person_tokens_changed


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


@receiver(post_save, sender=ApiToken, dispatch_uid="api_token_saved")
@receiver(post_delete, sender=ApiToken, dispatch_uid="api_token_deleted")
def api_token_changed(sender: Any, instance: ApiToken, **kwargs: Any) -> None:
    api_tokens_changed([instance.token_hash])


@receiver(post_save, sender=User, dispatch_uid="person_saved_tokens")
@receiver(post_delete, sender=User, dispatch_uid="person_deleted_tokens")
def person_changed(sender: Any, instance: User, update_fields: Any = None, **kwargs: Any) -> None:
    # Signing in saves only ``last_login``, which no permission reads.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    person_tokens_changed(instance.pk)
