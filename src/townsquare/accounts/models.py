from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django_countries.fields import CountryField

from townsquare.core.models import TimeStampedModel


class Profession(models.TextChoices):
    PHYSICIAN = "physician", "Physician"
    NURSE = "nurse", "Nurse"
    PHARMACIST = "pharmacist", "Pharmacist"
    COMMUNICATIONS = "communications", "Communications"
    ADMINISTRATION = "administration", "Administration"
    RESEARCH = "research", "Research"
    PATIENT_OR_CAREGIVER = "patient_or_caregiver", "Patient or caregiver"
    OTHER = "other", "Other"


class Role(models.TextChoices):
    """Platform roles. A person may hold several; only ``permissions.py`` reads them."""

    STAFF = "staff", "Center staff"
    INSTRUCTOR = "instructor", "Instructor"
    COACH = "coach", "Coach"
    MODERATOR = "moderator", "Moderator"
    MEMBER = "member", "Member (health-care professional)"
    PATIENT = "patient", "Patient or public"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


def avatar_upload_to(instance: User, filename: str) -> str:
    # Services already generate the stored name; this only keeps it.
    return filename


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=120)
    title = models.CharField(max_length=120, blank=True, help_text="Job title, e.g. Charge nurse")
    profession = models.CharField(
        max_length=32, choices=Profession.choices, default=Profession.OTHER
    )
    credentials = models.CharField(
        max_length=120, blank=True, help_text="Degrees and certifications, e.g. MD, FACP"
    )
    bio = models.TextField(blank=True, max_length=4000, help_text="Markdown")
    avatar = models.FileField(upload_to=avatar_upload_to, blank=True, max_length=200)
    primary_organization = models.ForeignKey(
        "Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="May open the Django admin (the staff back office)."
    )
    date_joined = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        ordering = ["display_name", "id"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    @property
    def role_set(self) -> frozenset[str]:
        """The person's platform roles, read once per request (see permissions.py).

        Cached under a private key: allauth serializes a user's public attributes into the
        session when a sign-in pauses (e.g. for two-factor), and a frozenset would not survive.
        """
        if self.pk is None:
            return frozenset()
        cached = self.__dict__.get("_role_set")
        if cached is None:
            cached = self.__dict__["_role_set"] = frozenset(
                self.roles.values_list("role", flat=True)
            )
        return cached

    def forget_roles(self) -> None:
        self.__dict__.pop("_role_set", None)


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="accounts_userrole_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}"


class OrganizationKind(models.TextChoices):
    HOSPITAL = "hospital", "Hospital"
    HEALTH_SYSTEM = "health_system", "Health system"
    CLINIC = "clinic", "Clinic"
    ASSOCIATION = "association", "Association"
    INDUSTRY = "industry", "Industry"
    OTHER = "other", "Other"


class Organization(TimeStampedModel):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    kind = models.CharField(max_length=20, choices=OrganizationKind.choices)
    country = CountryField()
    website = models.URLField(blank=True)
    description = models.TextField(blank=True, max_length=4000, help_text="Markdown")
    email_domain = models.CharField(
        max_length=200,
        blank=True,
        db_index=True,
        help_text="People whose email ends with this domain sign in through the organization's "
        "single sign-on, when one is configured.",
    )
    sso_app = models.OneToOneField(
        "socialaccount.SocialApp",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organization",
        help_text="OIDC or SAML identity provider for single sign-on.",
    )
    members = models.ManyToManyField(
        User, through="OrganizationMembership", related_name="organizations"
    )

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class OrganizationRole(models.TextChoices):
    LEADER = "leader", "Leader"
    MEMBER = "member", "Member"


class OrganizationMembership(TimeStampedModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        max_length=10, choices=OrganizationRole.choices, default=OrganizationRole.MEMBER
    )

    class Meta:
        ordering = ["organization_id", "-role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="accounts_membership_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.organization_id} as {self.role}"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, help_text="The first characters, to recognize it.")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class OrganizationInvitation(TimeStampedModel):
    """An invitation by email to join an organization. Only the token's SHA-256 is stored."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(
        max_length=10, choices=OrganizationRole.choices, default=OrganizationRole.MEMBER
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One waiting invitation per address and organization; used or withdrawn ones stay
            # as history.
            models.UniqueConstraint(
                Lower("email"),
                "organization",
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="accounts_invitation_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.organization_id}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
