"""Test helpers of the posts area: a small cast in both networks, files to attach, and readers of
what the services left behind (notifications, audit records, search)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from townsquare.accounts.models import User
from townsquare.core.models import AuditRecord
from townsquare.core.search import search_ids
from townsquare.notifications.models import Notification

from ..documents import COMMENT_KIND, POST_KIND
from ..models import CommunityProfile, Space, SpaceKind, SpaceVisibility
from .factories import (
    make_clinician,
    make_employee,
    make_moderator,
    make_patient,
    make_space,
)

# Text the privacy guard is sure about (a telephone number, confidence 0.9): held in the staff
# network, a warning in the patient community.
PHONE_TEXT = "Call Mrs. Rivera's daughter back on 555-123-4567 about the discharge."
CLEAN_TEXT = "The new handover checklist cut our morning huddle to ten minutes."


@dataclass
class StaffCast:
    space: Space
    author: User
    colleague: User
    moderator: User  # the space's own moderator
    outsider: User  # in the staff network, not a member


@dataclass
class PatientCast:
    space: Space
    author: User  # writes under a pseudonym
    peer: User
    clinician: User
    moderator: User


def staff_cast(**space_fields: Any) -> StaffCast:
    author = make_employee(display_name="Ada Author")
    colleague = make_employee(display_name="Cole Colleague")
    moderator = make_employee(display_name="Moe Spacemod")
    outsider = make_employee(display_name="Otto Outside")
    space_fields.setdefault("name", "Ward 5 nurses")
    space = make_space(
        kind=SpaceKind.STAFF,
        members=(author, colleague),
        moderators=(moderator,),
        **space_fields,
    )
    return StaffCast(space, author, colleague, moderator, outsider)


def patient_cast(**space_fields: Any) -> PatientCast:
    author = make_patient(display_name="Paula Private", pseudonym="SugarFree")
    peer = make_patient(display_name="Pete Peer")
    clinician = make_clinician(display_name="Dr Clara Clin")
    moderator = make_moderator(display_name="Mona Mod")
    space_fields.setdefault("name", "Type 1 diabetes")
    space = make_space(
        kind=SpaceKind.PATIENT,
        members=(author, peer, clinician),
        moderators=(moderator,),
        **space_fields,
    )
    return PatientCast(space, author, peer, clinician, moderator)


def private_staff_space(*members: User, **fields: Any) -> Space:
    return make_space(
        kind=SpaceKind.STAFF, visibility=SpaceVisibility.PRIVATE, members=members, **fields
    )


def handle_of(person: User) -> str:
    return CommunityProfile.objects.get(user=person).handle


def notifications_of(person: User, kind: str | None = None) -> list[Notification]:
    rows = Notification.objects.filter(recipient=person).order_by("pk")
    if kind is not None:
        rows = rows.filter(kind=kind)
    return list(rows)


def audit_actions(action: str) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(action=action).order_by("pk"))


def post_found(query: str) -> list[int]:
    return search_ids(POST_KIND, query)


def comment_found(query: str) -> list[int]:
    return search_ids(COMMENT_KIND, query)


def png_bytes(width: int = 4, height: int = 3) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def png_upload(name: str = "ward.png", *, padding: int = 0) -> SimpleUploadedFile:
    """A real PNG; ``padding`` bytes after its end make it as large as a test needs."""
    return SimpleUploadedFile(name, png_bytes() + b"\0" * padding, content_type="image/png")


def pdf_upload(name: str = "checklist.pdf") -> SimpleUploadedFile:
    content = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def fake_png_upload(name: str = "not-really.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"<script>alert(1)</script>", content_type="image/png")
