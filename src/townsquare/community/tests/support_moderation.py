"""Test helpers of the moderation section: a space with its moderator, author and readers, held
and flagged content written through the real services."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from townsquare.accounts.models import User
from townsquare.core.models import AuditRecord
from townsquare.notifications.models import Notification, NotificationKind

from ..models import Comment, Flag, Post, Space, SpaceKind, SpaceVisibility
from ..services.moderation import content_approve, flag_create
from .factories import make_comment, make_employee, make_patient, make_post, make_space

# A likely identifier: the privacy guard holds it in the staff network.
PHI_TEXT = "Handover for the patient with MRN 12345678, bed by the window."


@dataclass
class Scene:
    space: Space
    moderator: User
    author: User
    reader: User
    reporters: list[User]


def staff_scene(**space_fields: Any) -> Scene:
    """An open staff space with one moderator, an author, a reader and three more members."""
    moderator = make_employee(display_name="Mona Moderator")
    author = make_employee(display_name="Arthur Author")
    reader = make_employee(display_name="Rita Reader")
    reporters = [make_employee(display_name=f"Reporter {number}") for number in range(3)]
    space = make_space(
        name="Ward Seven",
        moderators=(moderator,),
        members=(author, reader, *reporters),
        **space_fields,
    )
    return Scene(space, moderator, author, reader, reporters)


def patient_scene(**space_fields: Any) -> Scene:
    """An open patient group moderated by a patient volunteer; the author writes as "Bluebird"."""
    moderator = make_patient(display_name="Volunteer Val")
    author = make_patient(display_name="Paula Private", pseudonym="Bluebird")
    reader = make_patient(display_name="Rory Reader")
    reporters = [make_patient(display_name=f"Patient reporter {number}") for number in range(3)]
    space = make_space(
        kind=SpaceKind.PATIENT,
        name="Living with Type 1",
        moderators=(moderator,),
        members=(author, reader, *reporters),
        **space_fields,
    )
    return Scene(space, moderator, author, reader, reporters)


def private_staff_scene() -> Scene:
    return staff_scene(visibility=SpaceVisibility.PRIVATE)


def held_post(scene: Scene, *, title: str = "Rota swap", body: str = "") -> Post:
    """A post held for pre-approval (the space must require approval)."""
    post = make_post(scene.author, scene.space, title=title, body=body)
    assert post.status == "pending"
    return post


def phi_post(scene: Scene) -> Post:
    """A staff-network post the privacy guard held for a moderator."""
    post = make_post(scene.author, scene.space, title="Handover", body=PHI_TEXT)
    assert (post.status, post.hold_reason) == ("pending", "phi")
    return post


def phi_comment(scene: Scene, post: Post) -> Comment:
    comment = make_comment(scene.author, post, body=PHI_TEXT)
    assert (comment.status, comment.hold_reason) == ("pending", "phi")
    return comment


def live_post(scene: Scene, **fields: Any) -> Post:
    post = make_post(scene.author, scene.space, **fields)
    assert post.status == "published"
    return post


def approved_post(scene: Scene, *, title: str = "Open thread") -> Post:
    """A live post in a space that approves posts first."""
    post = make_post(scene.reader, scene.space, title=title)
    content_approve(actor=scene.moderator, target=post)
    return type(post).objects.select_related("space").get(pk=post.pk)


def flagged(scene: Scene, target: Any, *, count: int = 1, reason: str = "harassment") -> list[Flag]:
    return [
        flag_create(actor=reporter, target=target, reason=reason, note=f"Note {number}")
        for number, reporter in enumerate(scene.reporters[:count])
    ]


def moderation_notices(person: User) -> list[Notification]:
    return list(
        Notification.objects.filter(recipient=person, kind=NotificationKind.MODERATION).order_by(
            "pk"
        )
    )


def audits(action: str) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(action=action).order_by("pk"))


def audit_text() -> str:
    """Every audit record's data as one text (to prove what people wrote never gets there)."""
    return json.dumps(list(AuditRecord.objects.values_list("data", flat=True)))


def fresh(obj: Any) -> Any:
    return type(obj).objects.get(pk=obj.pk)
