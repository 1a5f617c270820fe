"""Spaces, who belongs to them, community profiles (pseudonyms, verified clinicians) and follows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from townsquare.core.models import TimeStampedModel


class SpaceKind(models.TextChoices):
    STAFF = "staff", "Staff network"
    PATIENT = "patient", "Patient community"


class SpaceVisibility(models.TextChoices):
    OPEN = "open", "Open: anyone who may use this network can read and join"
    PRIVATE = "private", "Private: listed; posts only for members, who join on request"
    INVITE_ONLY = "invite_only", "Invite only: hidden; members join by invitation"


class SpaceCategory(models.TextChoices):
    # The staff network's purposes, and the patient community's ways of gathering.
    PATIENT_CARE = "patient_care", "Patient care"
    EDUCATION = "education", "Education"
    RESEARCH = "research", "Research"
    ADMINISTRATION = "administration", "Administration"
    DEPARTMENT = "department", "Department"
    INTEREST = "interest", "Interest"
    CONDITION = "condition", "Condition"
    TREATMENT = "treatment", "Treatment"
    EXPERIENCE = "experience", "Experience"


STAFF_CATEGORIES = (
    SpaceCategory.PATIENT_CARE,
    SpaceCategory.EDUCATION,
    SpaceCategory.RESEARCH,
    SpaceCategory.ADMINISTRATION,
    SpaceCategory.DEPARTMENT,
    SpaceCategory.INTEREST,
)
PATIENT_CATEGORIES = (SpaceCategory.CONDITION, SpaceCategory.TREATMENT, SpaceCategory.EXPERIENCE)


class Space(TimeStampedModel):
    kind = models.CharField(max_length=10, choices=SpaceKind.choices)
    visibility = models.CharField(
        max_length=12, choices=SpaceVisibility.choices, default=SpaceVisibility.OPEN
    )
    category = models.CharField(max_length=20, choices=SpaceCategory.choices)
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    description = models.TextField(max_length=4000, blank=True, help_text="Markdown")
    guidelines = models.TextField(
        max_length=8000, blank=True, help_text="Markdown; shown to people when they join"
    )
    requires_approval = models.BooleanField(
        default=False, help_text="A moderator approves every post before it is published."
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="community_spaces",
        help_text="The organization that runs this space, if any.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    member_count = models.PositiveIntegerField(default=0)
    post_count = models.PositiveIntegerField(default=0)
    last_post_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="staff") & Q(category__in=[c.value for c in STAFF_CATEGORIES]))
                | (Q(kind="patient") & Q(category__in=[c.value for c in PATIENT_CATEGORIES])),
                name="community_space_category_fits_kind",
            ),
        ]
        indexes = [models.Index(fields=["kind", "visibility"])]

    def __str__(self) -> str:
        return self.name

    @property
    def scope(self) -> str:
        """The notification scope of this space (per-space notification settings)."""
        return f"community.space:{self.pk}"

    @property
    def is_patient(self) -> bool:
        return self.kind == SpaceKind.PATIENT


class MembershipRole(models.TextChoices):
    MEMBER = "member", "Member"
    MODERATOR = "moderator", "Moderator"


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", "Member"
    INVITED = "invited", "Invited"
    REQUESTED = "requested", "Asked to join"
    BANNED = "banned", "Banned"


class SpaceMembership(TimeStampedModel):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="space_memberships"
    )
    role = models.CharField(
        max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    status = models.CharField(
        max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    guidelines_accepted_at = models.DateTimeField(null=True, blank=True)
    muted_until = models.DateTimeField(
        null=True, blank=True, help_text="Until then the person may read but not post or comment."
    )
    sanction_reason = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["space", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["space", "user"], name="community_membership_unique"),
        ]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.space_id} ({self.status})"


class CommunityProfile(TimeStampedModel):
    """How a person appears in the community: pseudonym (patient community) and clinician check."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_profile"
    )
    handle = models.CharField(
        max_length=30,
        help_text="How people @mention you: letters, digits, dot, dash or underscore.",
    )
    pseudonym = models.CharField(
        max_length=40,
        blank=True,
        help_text="Shown instead of your name in the patient community; moderators still see "
        "who you are.",
    )
    use_pseudonym = models.BooleanField(default=False)
    clinician_verified_at = models.DateTimeField(null=True, blank=True)
    clinician_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    clinician_title = models.CharField(
        max_length=120, blank=True, help_text="Shown with the verified label, e.g. Endocrinologist"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("handle"), name="community_handle_ci_unique"),
            models.UniqueConstraint(
                Lower("pseudonym"),
                condition=~Q(pseudonym=""),
                name="community_pseudonym_ci_unique",
            ),
            models.CheckConstraint(
                condition=Q(use_pseudonym=False) | ~Q(pseudonym=""),
                name="community_pseudonym_needed_to_use",
            ),
        ]

    def __str__(self) -> str:
        return f"profile of {self.user_id}"

    @property
    def is_verified_clinician(self) -> bool:
        return self.clinician_verified_at is not None


class Follow(models.Model):
    """A person follows another person or a space; their posts reach the follower's home feed."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    followed_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followers",
    )
    space = models.ForeignKey(
        Space, null=True, blank=True, on_delete=models.CASCADE, related_name="followers"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(followed_user__isnull=False) & Q(space__isnull=True))
                | (Q(followed_user__isnull=True) & Q(space__isnull=False)),
                name="community_follow_one_target",
            ),
            models.CheckConstraint(
                condition=~Q(followed_user=F("follower")), name="community_follow_not_self"
            ),
            models.UniqueConstraint(
                fields=["follower", "followed_user"],
                condition=Q(followed_user__isnull=False),
                name="community_follow_person_unique",
            ),
            models.UniqueConstraint(
                fields=["follower", "space"],
                condition=Q(space__isnull=False),
                name="community_follow_space_unique",
            ),
        ]
        indexes = [models.Index(fields=["followed_user", "follower"])]

    def __str__(self) -> str:
        target = f"person {self.followed_user_id}" if self.followed_user_id else self.space_id
        return f"{self.follower_id} follows {target}"
