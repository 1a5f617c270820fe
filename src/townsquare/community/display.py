"""How a person is named beside what they wrote, as this viewer may see it.

In the patient community someone may write under a pseudonym: everyone sees the pseudonym, and
only the person, the space's moderators and center staff see who it is. Load authors with
``select_related("author__community_profile")`` so naming them costs no queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .models import CommunityProfile, Space
from .permissions import can_see_real_identity


@dataclass(frozen=True)
class AuthorLabel:
    name: str
    pseudonymous: bool
    real_name: str  # empty unless the viewer may see who is behind the pseudonym
    verified_clinician: bool
    clinician_title: str
    handle: str


def _profile(person: Any) -> CommunityProfile | None:
    try:
        return person.community_profile
    except CommunityProfile.DoesNotExist:
        return None


def author_label(
    *, author: Any, as_pseudonym: bool, space: Space | None, viewer: Any
) -> AuthorLabel:
    profile = _profile(author)
    verified = bool(profile and profile.is_verified_clinician)
    if as_pseudonym:
        # Written under a pseudonym: never fall back to the real name, even if the pseudonym
        # has since been cleared.
        visible = can_see_real_identity(viewer, space, author)
        return AuthorLabel(
            name=(profile.pseudonym if profile and profile.pseudonym else "A community member"),
            pseudonymous=True,
            real_name=author.display_name if visible else "",
            verified_clinician=verified,
            clinician_title=profile.clinician_title if verified and profile else "",
            handle=profile.handle if visible and profile else "",
        )
    return AuthorLabel(
        name=author.display_name,
        pseudonymous=False,
        real_name="",
        verified_clinician=verified,
        clinician_title=profile.clinician_title if verified and profile else "",
        handle=profile.handle if profile else "",
    )


def content_author_label(content: Any, viewer: Any) -> AuthorLabel:
    """The label of a post's or comment's author (``space`` found through the post)."""
    post = getattr(content, "post", None) or content
    return author_label(
        author=content.author,
        as_pseudonym=content.as_pseudonym,
        space=post.space,
        viewer=viewer,
    )
