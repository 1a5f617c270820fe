"""System checks for settings that matter in production."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_database_and_broker(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    errors = []
    if settings.SECRET_KEY.startswith("development-only-key"):
        errors.append(Error("SECRET_KEY is the development key.", id="townsquare.E001"))
    return errors
