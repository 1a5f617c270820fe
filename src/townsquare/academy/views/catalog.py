"""The public catalog, course pages, and a lesson's downloads and captions."""

from __future__ import annotations

from pathlib import PurePath

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from townsquare.core.errors import NotFound, PermissionRefused
from townsquare.core.uploads import attachment_response

from .. import permissions
from ..forms.catalog import CatalogFilterForm
from ..models import Lesson, LessonAttachment
from ..selectors import catalog as selectors

PAGE_SIZE = 12


def _url_or_empty(name: str, *args: object) -> str:
    """A link to another area's page; empty while that area is not installed yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def catalog(request: HttpRequest) -> HttpResponse:
    topics = list(selectors.topics_in_catalog())
    form = CatalogFilterForm(request.GET or None, topics=topics)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.CatalogFilters(
        query=data.get("q", ""),
        topic=data.get("topic", ""),
        level=data.get("level", ""),
        profession=data.get("profession", ""),
        language=data.get("language", ""),
        tier=data.get("tier", ""),
        offers_credit=bool(data.get("credit")),
    )
    page = Paginator(selectors.course_catalog(filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "academy/catalog/catalog.html",
        {
            "form": form,
            "page": page,
            "can_create": permissions.can_create_course(request.user),
        },
    )


def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    course = selectors.course_get(viewer=request.user, slug=slug)
    enrollment = selectors.enrollment_of(user=request.user, course=course)
    credit = getattr(course, "credit_activity", None)
    return render(
        request,
        "academy/catalog/course_detail.html",
        {
            "course": course,
            "modules": course.modules.all(),
            "credit": credit,
            "enrollment": enrollment,
            "can_enroll": permissions.can_enroll(request.user, course),
            "can_author": permissions.can_author_course(request.user, course),
            "enroll_url": _url_or_empty("academy:enroll", course.slug),
            "continue_url": _url_or_empty("academy:course_home", course.slug),
        },
    )


def attachment_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    attachment = LessonAttachment.objects.select_related("lesson__course").filter(pk=pk).first()
    if attachment is None:
        raise NotFound("No such file.")
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if not permissions.can_download_attachment(request.user, attachment):
        raise PermissionRefused("Enroll in the course to download its files.")
    suffix = PurePath(attachment.file.name or "").suffix
    name = attachment.original_name or f"{attachment.title}{suffix}"
    return attachment_response(attachment.file, download_name=name)


def lesson_captions(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = Lesson.objects.select_related("course").filter(pk=pk).first()
    if lesson is None or not lesson.captions:
        raise NotFound("No captions for this lesson.")
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if not permissions.can_view_lesson_media(request.user, lesson):
        raise PermissionRefused("Enroll in the course to see its lessons.")
    with lesson.captions.open("rb") as captions:
        content = captions.read()
    response = HttpResponse(content, content_type="text/vtt; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response
