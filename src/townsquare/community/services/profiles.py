"""Community profiles: every person gets one (with an @handle) the first time they take part."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from townsquare.accounts.permissions import is_patient_only

from ..models import CommunityProfile


def _handle_base(user: Any) -> str:
    # Patients get a neutral handle: their name must not show through it in the patient groups.
    if is_patient_only(user):
        return "member"
    base = slugify(user.display_name).replace("-", ".")
    base = re.sub(r"[^a-z0-9._-]", "", base).strip("._-")
    return base[:24] or "member"


@transaction.atomic
def profile_ensure(user: Any) -> CommunityProfile:
    """The person's community profile, created with a free @handle when missing."""
    profile = CommunityProfile.objects.filter(user=user).first()
    if profile is not None:
        return profile
    base = _handle_base(user)
    for attempt in range(20):
        suffix = "" if attempt == 0 and base != "member" else f"{secrets.randbelow(10**5):05d}"
        handle = f"{base}{suffix}"[:30]
        try:
            with transaction.atomic():
                profile = CommunityProfile.objects.create(user=user, handle=handle)
        except IntegrityError:
            profile = CommunityProfile.objects.filter(user=user).first()
            if profile is not None:
                return profile
            continue
        user.__dict__["_community_profile"] = profile
        return profile
    raise RuntimeError("No free handle after 20 attempts")  # pragma: no cover - 10^5 choices
