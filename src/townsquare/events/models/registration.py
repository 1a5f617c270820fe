"""Tickets and registration: ticket types, discount codes, questions, orders, registrations."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from townsquare.academy.models import AccessTier
from townsquare.core.models import TimeStampedModel

from .events import Event


class TicketType(TimeStampedModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="ticket_types")
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=400, blank=True)
    price = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal("0"))
    # Its own quota; empty means only the event's capacity limits it.
    capacity = models.PositiveIntegerField(null=True, blank=True)
    sales_start = models.DateTimeField(null=True, blank=True)
    sales_end = models.DateTimeField(null=True, blank=True)
    members_only = models.BooleanField(
        default=False, help_text="Only people who belong to a member organization."
    )
    minimum_tier = models.CharField(
        max_length=10, choices=AccessTier.choices, blank=True, help_text="Empty: the event's tier."
    )
    is_active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["event", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="ticket_price_not_negative"),
            models.UniqueConstraint(fields=["event", "name"], name="ticket_name_unique_per_event"),
            models.CheckConstraint(
                condition=Q(sales_start__isnull=True)
                | Q(sales_end__isnull=True)
                | Q(sales_end__gt=models.F("sales_start")),
                name="ticket_sales_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_free(self) -> bool:
        return self.price == 0


class DiscountKind(models.TextChoices):
    PERCENT = "percent", "Percentage off"
    AMOUNT = "amount", "Amount off"


class DiscountCode(TimeStampedModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="discount_codes")
    # Stored in upper case; people type codes in any case.
    code = models.CharField(max_length=40)
    kind = models.CharField(max_length=10, choices=DiscountKind.choices)
    value = models.DecimalField(max_digits=9, decimal_places=2)
    max_uses = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: unlimited.")
    used_count = models.PositiveIntegerField(default=0)
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    ticket_types = models.ManyToManyField(
        TicketType, blank=True, related_name="discount_codes", help_text="Empty: every ticket."
    )

    class Meta:
        ordering = ["event", "code"]
        constraints = [
            models.UniqueConstraint(fields=["event", "code"], name="discount_code_unique"),
            models.CheckConstraint(condition=Q(value__gt=0), name="discount_value_positive"),
            models.CheckConstraint(
                condition=~Q(kind="percent") | Q(value__lte=100),
                name="discount_percent_at_most_100",
            ),
            models.CheckConstraint(
                condition=Q(max_uses__isnull=True) | Q(used_count__lte=models.F("max_uses")),
                name="discount_uses_within_limit",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class QuestionKind(models.TextChoices):
    TEXT = "text", "Short text"
    LONG_TEXT = "long_text", "Paragraph"
    CHOICE = "choice", "One of a list"
    YES_NO = "yes_no", "Yes or no"


class QuestionPurpose(models.TextChoices):
    GENERAL = "general", "General"
    DIETARY = "dietary", "Dietary needs"
    ACCESSIBILITY = "accessibility", "Accessibility needs"
    LICENSE = "license", "Licence id for CE credit"


class RegistrationQuestion(models.Model):
    """One of the event's own questions on the registration form."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(max_length=200)
    help_text = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXT)
    purpose = models.CharField(
        max_length=15, choices=QuestionPurpose.choices, default=QuestionPurpose.GENERAL
    )
    # For "choice": one option per line.
    options = models.TextField(blank=True)
    is_required = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["event", "position", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]


class OrderStatus(models.TextChoices):
    FREE = "free", "Free"
    UNPAID = "unpaid", "Awaiting payment"
    PAID = "paid", "Paid"
    CANCELLED = "cancelled", "Cancelled"


class Order(TimeStampedModel):
    """What one person (or an organization leader for their staff) registered for at once."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="orders")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="event_orders"
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_orders",
    )
    reference = models.CharField(max_length=16, unique=True)
    status = models.CharField(max_length=10, choices=OrderStatus.choices)
    subtotal = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    discount_total = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    total = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    currency = models.CharField(max_length=3, default="USD")
    discount_code = models.ForeignKey(
        DiscountCode, null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    invoice_number = models.CharField(max_length=24, unique=True, null=True, blank=True)
    invoice_due_on = models.DateField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative"),
        ]

    def __str__(self) -> str:
        return self.reference


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    WAITLISTED = "waitlisted", "On the waiting list"
    OFFERED = "offered", "Seat offered"
    CANCELLED = "cancelled", "Cancelled"


# A seat is taken by a confirmed registration and held by an offered one.
SEAT_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)
LIVE_STATUSES = (*SEAT_STATUSES, RegistrationStatus.WAITLISTED)


class AttendanceSource(models.TextChoices):
    CHECK_IN = "check_in", "Checked in"
    IMPORT = "import", "Imported from the webinar provider"
    MANUAL = "manual", "Marked by an organizer"


class Registration(TimeStampedModel):
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    ticket_type = models.ForeignKey(
        TicketType, on_delete=models.PROTECT, related_name="registrations"
    )
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="registrations")
    attendee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="event_registrations"
    )
    status = models.CharField(max_length=10, choices=RegistrationStatus.choices)
    # The client's idempotency key: a retried request finds the registration it already made.
    request_key = models.CharField(max_length=64, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    price = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal("0"))
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.CharField(max_length=200, blank=True)
    # The secret on the ticket's QR code; replaced when the ticket is transferred.
    ticket_code = models.CharField(max_length=32, unique=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attended = models.BooleanField(default=False)
    attendance_source = models.CharField(
        max_length=10, choices=AttendanceSource.choices, blank=True
    )
    attended_minutes = models.PositiveIntegerField(null=True, blank=True)
    transferred_from = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Reminders are claimed with a conditional update, so each goes out at most once.
    reminder_day_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_hour_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event", "pk"]
        indexes = [
            models.Index(fields=["event", "status", "waitlisted_at"]),
            models.Index(fields=["ticket_type", "status"]),
            models.Index(fields=["attendee", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "attendee"],
                condition=Q(status__in=["confirmed", "waitlisted", "offered"]),
                name="registration_one_live_per_attendee",
            ),
            models.UniqueConstraint(
                fields=["event", "request_key"],
                condition=~Q(request_key=""),
                name="registration_request_key_once",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                name="registration_offer_has_expiry",
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="confirmed"),
                name="registration_checked_in_is_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attendee_id} at {self.event_id} ({self.status})"

    @property
    def holds_seat(self) -> bool:
        return self.status in SEAT_STATUSES

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


class CalendarToken(models.Model):
    """The secret behind a person's calendar subscription link; only its hash is stored."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar link {self.prefix}… of {self.user_id}"
