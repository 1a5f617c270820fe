"""Posts, comments, revisions, reactions, hashtags, attachments and polls."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from townsquare.core.models import TimeStampedModel

from .spaces import Space


class PostKind(models.TextChoices):
    DISCUSSION = "discussion", "Discussion"
    QUESTION = "question", "Question"
    POLL = "poll", "Poll"


class ContentStatus(models.TextChoices):
    PUBLISHED = "published", "Published"
    PENDING = "pending", "Waiting for a moderator"
    HIDDEN = "hidden", "Hidden by a moderator"
    REMOVED = "removed", "Removed by a moderator"
    DELETED = "deleted", "Deleted by its author"


class HoldReason(models.TextChoices):
    NONE = "", "Not held"
    APPROVAL = "approval", "This space approves posts before they are published"
    PHI = "phi", "The privacy guard found what may be protected health information"


class ModeratedContent(TimeStampedModel):
    """What posts and comments share: status, the hold and the moderator's decision."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=20000, help_text="Markdown")
    status = models.CharField(
        max_length=10, choices=ContentStatus.choices, default=ContentStatus.PUBLISHED
    )
    hold_reason = models.CharField(max_length=10, choices=HoldReason.choices, blank=True)
    # What the privacy guard found at the last check: kinds only, never the text.
    phi_kinds = models.JSONField(default=list, blank=True)
    phi_confirmed = models.BooleanField(
        default=False, help_text="The author saw the privacy warning and published anyway."
    )
    as_pseudonym = models.BooleanField(default=False)
    edited_at = models.DateTimeField(null=True, blank=True)
    reaction_count = models.PositiveIntegerField(default=0)
    moderation_reason = models.CharField(
        max_length=1000, blank=True, help_text="Shown to the author when a moderator acts."
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == ContentStatus.PUBLISHED


class Post(ModeratedContent):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_posts"
    )
    kind = models.CharField(max_length=12, choices=PostKind.choices, default=PostKind.DISCUSSION)
    title = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    accepted_comment = models.ForeignKey(
        "Comment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment_count = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="community_post_published_has_time",
            ),
            models.CheckConstraint(
                condition=Q(kind="discussion") | ~Q(title=""),
                name="community_post_question_poll_titled",
            ),
        ]
        indexes = [
            # The feeds: newest published first, by space, by author, and overall.
            models.Index(
                fields=["space", "-published_at", "-id"],
                condition=Q(status="published"),
                name="community_post_space_feed",
            ),
            models.Index(
                fields=["author", "-published_at", "-id"],
                condition=Q(status="published"),
                name="community_post_author_feed",
            ),
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(status="published"),
                name="community_post_feed",
            ),
            models.Index(fields=["space", "status"], name="community_post_space_status"),
        ]

    def __str__(self) -> str:
        return self.title or f"Post {self.pk}"


class Comment(ModeratedContent):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    body = models.TextField(max_length=10000, help_text="Markdown")
    # Set when the author was a verified clinician at the time of writing (the label on answers).
    by_verified_clinician = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["post", "status", "created_at"])]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.post_id}"


class PostRevision(models.Model):
    """The post as it was before an edit (the edit history)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField(max_length=20000)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Revision {self.pk} of post {self.post_id}"


class CommentRevision(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(max_length=10000)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Revision {self.pk} of comment {self.comment_id}"


class ReactionKind(models.TextChoices):
    LIKE = "like", "👍 Like"
    SUPPORT = "support", "❤️ Support"
    CELEBRATE = "celebrate", "🎉 Celebrate"
    INSIGHTFUL = "insightful", "💡 Insightful"
    THANKS = "thanks", "🙏 Thanks"


class Reaction(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_reactions"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="reactions"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reactions"
    )
    kind = models.CharField(max_length=12, choices=ReactionKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(post__isnull=False) & Q(comment__isnull=True))
                | (Q(post__isnull=True) & Q(comment__isnull=False)),
                name="community_reaction_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "post", "kind"],
                condition=Q(post__isnull=False),
                name="community_reaction_post_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "comment", "kind"],
                condition=Q(comment__isnull=False),
                name="community_reaction_comment_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"


class Hashtag(models.Model):
    name = models.CharField(max_length=64, unique=True, help_text="Lower case, without the #")
    post_count = models.PositiveIntegerField(default=0)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"#{self.name}"


class PostHashtag(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="post_hashtags")
    hashtag = models.ForeignKey(Hashtag, on_delete=models.CASCADE, related_name="post_hashtags")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["hashtag", "post"], name="community_post_hashtag_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.post_id} #{self.hashtag_id}"


def attachment_upload_to(instance: PostAttachment, filename: str) -> str:
    # Services generate the stored name (core.uploads.generated_name); this only keeps it.
    return filename


class PostAttachment(TimeStampedModel):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    is_image = models.BooleanField(default=False)
    alt_text = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["post", "position", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Poll(models.Model):
    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="poll")
    allows_multiple = models.BooleanField(default=False)
    closes_at = models.DateTimeField(null=True, blank=True)
    voter_count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Poll of post {self.post_id}"


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    vote_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["poll", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "label"], name="community_poll_option_unique")
        ]

    def __str__(self) -> str:
        return self.label


class PollBallot(models.Model):
    """One person's vote in a poll: a second one is refused by the constraint."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    options = models.ManyToManyField(PollOption, related_name="ballots")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "user"], name="community_one_ballot_per_person")
        ]

    def __str__(self) -> str:
        return f"Ballot of {self.user_id} in poll {self.poll_id}"
