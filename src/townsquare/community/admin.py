"""The staff back office for the community.

Members, moderators and staff run the community on its own pages, where the rules, counters,
notifications and the audit log apply (joining, roles, bans, publishing, holds, flags). Here,
the rows those services write are shown read-only; what staff may change goes through the same
services as admin actions: verifying clinicians (``services.people``) and hiding, restoring or
removing posts and comments (``services.moderation``, recorded in the space's moderation log).
A space's texts and category are plain data and editable; its network never changes, because
moving a space would show its posts to other people.

Nothing here exports text in bulk: lists show titles and states, never bodies; a post or
comment is read one at a time on its own page. Lists do not count every row (``show_full_result
_count``), so they stay fast at a million posts.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.text import Truncator

from townsquare.core.errors import DomainError

from .models import (
    Comment,
    CommentRevision,
    CommunityProfile,
    ContentStatus,
    Flag,
    Follow,
    Hashtag,
    ModerationAction,
    Poll,
    PollBallot,
    PollOption,
    Post,
    PostAttachment,
    PostHashtag,
    PostRevision,
    Reaction,
    Space,
    SpaceMembership,
)

STAFF_REASON = "Center staff reviewed this in the back office."


def _url(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # pragma: no cover - the pages are always installed with the app
        return None


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by services (with their audit records): viewable, never edited here."""

    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    show_change_link = True
    max_num = 0

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


def _report(
    model_admin: admin.ModelAdmin, request: HttpRequest, done: int, errors: list[str], verb: str
) -> None:
    if done:
        model_admin.message_user(request, f"{verb}: {done}.", messages.SUCCESS)
    for error in errors[:10]:
        model_admin.message_user(request, error, messages.ERROR)


# --- Spaces and who belongs ----------------------------------------------------------------------


class ModeratorInline(ReadOnlyInline):
    model = SpaceMembership
    verbose_name_plural = "moderators"
    fields = readonly_fields = ("user", "status", "created_at")

    def get_queryset(self, request: HttpRequest) -> QuerySet[SpaceMembership]:
        return super().get_queryset(request).filter(role="moderator").select_related("user")


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    """Texts, category, pre-approval and organization are editable; joining, roles and archiving
    happen on the space's own pages (they notify people and write the audit log)."""

    list_display = [
        "name",
        "kind",
        "visibility",
        "category",
        "requires_approval",
        "member_count",
        "post_count",
        "last_post_at",
        "archived_at",
    ]
    list_filter = ["kind", "visibility", "category", "requires_approval"]
    search_fields = ["name", "slug"]
    raw_id_fields = ["organization"]
    show_full_result_count = False
    readonly_fields = [
        "kind",
        "visibility",
        "slug",
        "created_by",
        "member_count",
        "post_count",
        "last_post_at",
        "archived_at",
        "created_at",
        "updated_at",
    ]
    fields = [
        "name",
        "slug",
        "kind",
        "visibility",
        "category",
        "requires_approval",
        "organization",
        "description",
        "guidelines",
        "created_by",
        "member_count",
        "post_count",
        "last_post_at",
        "archived_at",
        "created_at",
        "updated_at",
    ]
    inlines = [ModeratorInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the space's creator becomes its moderator: `community:space_create`

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # spaces are archived, never deleted with everyone's posts

    def view_on_site(self, obj: Space) -> str | None:  # type: ignore[override]
        return _url("community:space_detail", obj.slug)


@admin.register(SpaceMembership)
class SpaceMembershipAdmin(ReadOnlyAdmin):
    """Joining, requests, invitations, moderators, mutes and bans: the space's pages decide them."""

    list_display = ["user", "space", "role", "status", "muted_until", "created_at"]
    list_filter = ["role", "status", "space__kind"]
    search_fields = ["user__email", "user__display_name", "space__name"]
    list_select_related = ["user", "space"]


@admin.register(Follow)
class FollowAdmin(ReadOnlyAdmin):
    list_display = ["follower", "followed_user", "space", "created_at"]
    search_fields = ["follower__email", "followed_user__email", "space__name"]
    list_select_related = ["follower", "followed_user", "space"]


@admin.register(CommunityProfile)
class CommunityProfileAdmin(ReadOnlyAdmin):
    """Handles and pseudonyms belong to their person (``community:profile_settings``). Staff
    verify clinicians here or on ``community:clinician_list``: both through the same service."""

    list_display = [
        "handle",
        "user",
        "use_pseudonym",
        "is_verified",
        "clinician_title",
        "clinician_verified_at",
    ]
    list_filter = [
        "use_pseudonym",
        ("clinician_verified_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["handle", "user__email", "user__display_name", "clinician_title"]
    list_select_related = ["user"]
    actions = ["verify_clinicians", "unverify_clinicians"]

    @admin.display(boolean=True, description="Verified clinician")
    def is_verified(self, profile: CommunityProfile) -> bool:
        return profile.is_verified_clinician

    @admin.action(description="Verify as clinicians (title: the profile's, else their job title)")
    def verify_clinicians(self, request: HttpRequest, queryset: QuerySet[CommunityProfile]) -> None:
        from .services.people import clinician_verify

        done, errors = 0, []
        for profile in queryset.select_related("user"):
            title = profile.clinician_title or profile.user.title or "Clinician"
            try:
                clinician_verify(
                    actor=request.user, person=profile.user, title=title, request=request
                )
            except DomainError as error:
                errors.append(f"{profile.handle}: {error}")
            else:
                done += 1
        _report(self, request, done, errors, "Verified")

    @admin.action(description="Remove the clinician verification")
    def unverify_clinicians(
        self, request: HttpRequest, queryset: QuerySet[CommunityProfile]
    ) -> None:
        from .services.people import clinician_unverify

        done, errors = 0, []
        for profile in queryset.select_related("user"):
            try:
                clinician_unverify(actor=request.user, person=profile.user, request=request)
            except DomainError as error:
                errors.append(f"{profile.handle}: {error}")
            else:
                done += 1
        _report(self, request, done, errors, "No longer verified")


# --- Posts and comments --------------------------------------------------------------------------


class _ContentAdmin(ReadOnlyAdmin):
    """Posts and comments: states change through the moderation service, one at a time."""

    actions = ["hide", "restore", "remove"]
    exclude = ["phi_kinds"]

    def _decide(
        self, request: HttpRequest, queryset: QuerySet[Any], decision: str, verb: str
    ) -> None:
        from .services import moderation

        service = {
            "hide": moderation.content_hide,
            "restore": moderation.content_restore,
            "remove": moderation.content_remove,
        }[decision]
        done, errors = 0, []
        for target in queryset[:100]:
            try:
                service(actor=request.user, target=target, reason=STAFF_REASON, request=request)
            except DomainError as error:
                errors.append(f"{target}: {error}")
            else:
                done += 1
        _report(self, request, done, errors, verb)

    @admin.action(description="Hide (the author is told why; moderators may restore)")
    def hide(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._decide(request, queryset, "hide", "Hidden")

    @admin.action(description="Restore hidden or removed")
    def restore(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._decide(request, queryset, "restore", "Restored")

    @admin.action(description="Remove")
    def remove(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._decide(request, queryset, "remove", "Removed")

    @admin.display(description="Found by the privacy guard")
    def privacy_findings(self, obj: Any) -> str:
        return ", ".join(obj.phi_kinds) or "nothing"


class PostRevisionInline(ReadOnlyInline):
    model = PostRevision
    fields = readonly_fields = ("editor", "created_at")


class AttachmentInline(ReadOnlyInline):
    model = PostAttachment
    # The file is served only through the permission-checked download page, never linked here.
    fields = readonly_fields = ("original_name", "content_type", "size", "is_image", "alt_text")
    show_change_link = False


@admin.register(Post)
class PostAdmin(_ContentAdmin):
    list_display = [
        "pk",
        "short_title",
        "space",
        "author",
        "kind",
        "status",
        "hold_reason",
        "published_at",
        "comment_count",
        "reaction_count",
    ]
    list_filter = ["status", "kind", "hold_reason", "space__kind"]
    search_fields = ["=id", "title", "space__name", "author__email"]
    list_select_related = ["space", "author"]
    readonly_fields = ["privacy_findings"]
    inlines = [AttachmentInline, PostRevisionInline]

    @admin.display(description="Title", ordering="title")
    def short_title(self, post: Post) -> str:
        return post.title or f"(post {post.pk})"

    def view_on_site(self, obj: Post) -> str | None:  # type: ignore[override]
        if obj.status != ContentStatus.PUBLISHED:
            return None
        return _url("community:post_detail", obj.pk)


class CommentRevisionInline(ReadOnlyInline):
    model = CommentRevision
    fields = readonly_fields = ("editor", "created_at")


@admin.register(Comment)
class CommentAdmin(_ContentAdmin):
    list_display = [
        "pk",
        "post_title",
        "author",
        "status",
        "hold_reason",
        "by_verified_clinician",
        "created_at",
    ]
    list_filter = ["status", "hold_reason", "by_verified_clinician", "post__space__kind"]
    search_fields = ["=id", "=post__id", "author__email"]
    list_select_related = ["post", "author"]
    readonly_fields = ["privacy_findings"]
    inlines = [CommentRevisionInline]

    @admin.display(description="Post")
    def post_title(self, comment: Comment) -> str:
        return Truncator(comment.post.title or f"post {comment.post_id}").chars(60)


@admin.register(PostRevision)
class PostRevisionAdmin(ReadOnlyAdmin):
    list_display = ["post", "editor", "created_at"]
    list_select_related = ["post", "editor"]
    search_fields = ["=post__id"]


@admin.register(CommentRevision)
class CommentRevisionAdmin(ReadOnlyAdmin):
    list_display = ["comment", "editor", "created_at"]
    list_select_related = ["comment", "editor"]
    search_fields = ["=comment__id"]


@admin.register(PostAttachment)
class PostAttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "post", "content_type", "size", "is_image"]
    list_select_related = ["post"]
    search_fields = ["original_name", "=post__id"]
    exclude = ["file"]


@admin.register(Reaction)
class ReactionAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "post", "comment", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["user", "post", "comment"]
    search_fields = ["user__email", "=post__id", "=comment__id"]


@admin.register(Hashtag)
class HashtagAdmin(ReadOnlyAdmin):
    list_display = ["name", "post_count", "last_used_at"]
    search_fields = ["name"]


@admin.register(PostHashtag)
class PostHashtagAdmin(ReadOnlyAdmin):
    list_display = ["hashtag", "post"]
    list_select_related = ["hashtag", "post"]
    search_fields = ["hashtag__name", "=post__id"]


class PollOptionInline(ReadOnlyInline):
    model = PollOption
    fields = readonly_fields = ("label", "position", "vote_count")
    show_change_link = False


@admin.register(Poll)
class PollAdmin(ReadOnlyAdmin):
    list_display = ["post", "voter_count", "allows_multiple", "closes_at"]
    list_select_related = ["post"]
    search_fields = ["=post__id", "post__title"]
    inlines = [PollOptionInline]


@admin.register(PollOption)
class PollOptionAdmin(ReadOnlyAdmin):
    list_display = ["label", "poll", "vote_count"]
    list_select_related = ["poll__post"]


@admin.register(PollBallot)
class PollBallotAdmin(ReadOnlyAdmin):
    list_display = ["poll", "user", "created_at"]
    list_select_related = ["poll__post", "user"]


# --- Flags and the moderation log ----------------------------------------------------------------


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    """Flags are decided in each space's moderation queue, where the content is acted on."""

    list_display = ["pk", "space", "reason", "status", "target", "reporter", "created_at"]
    list_filter = ["status", "reason", "space__kind"]
    search_fields = ["space__name", "reporter__email", "=post__id", "=comment__id"]
    list_select_related = ["space", "reporter"]

    @admin.display(description="Flagged")
    def target(self, flag: Flag) -> str:
        return f"post {flag.post_id}" if flag.post_id else f"comment {flag.comment_id}"

    def view_on_site(self, obj: Flag) -> str | None:  # type: ignore[override]
        return _url("community:moderation_queue", obj.space.slug)


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "space", "action", "moderator", "subject", "post", "comment"]
    list_filter = ["action", "space__kind"]
    search_fields = ["space__name", "moderator__email", "subject__email"]
    list_select_related = ["space", "moderator", "subject", "post", "comment"]
