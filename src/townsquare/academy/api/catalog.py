"""The public course catalog: GET /api/v1/academy/courses and /courses/{course_id}."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from townsquare.accounts.auth import session_auth, token_auth
from townsquare.core.pagination import Pagination

from ..selectors import catalog as selectors
from .catalog_schemas import CatalogFilterIn, CourseDetailOut, CourseOut

router = Router()


def anyone(request: HttpRequest) -> bool:
    """The catalog is public: a signed-in caller is recognized, an anonymous one let through."""
    return True


PUBLIC = [token_auth, session_auth, anyone]


@router.get(
    "/courses", response=list[CourseOut], auth=PUBLIC, summary="The catalog of published courses"
)
@paginate(Pagination)
def courses_list(request: HttpRequest, filters: Query[CatalogFilterIn]) -> Any:
    return selectors.course_catalog(
        filters=selectors.CatalogFilters(
            query=filters.q,
            topic=filters.topic,
            level=filters.level or "",
            profession=filters.profession or "",
            language=filters.language,
            tier=filters.tier or "",
            offers_credit=filters.credit,
        )
    )


@router.get(
    "/courses/{course_id}",
    response=CourseDetailOut,
    auth=PUBLIC,
    summary="One course with its outline (drafts: authors only)",
)
def courses_get(request: HttpRequest, course_id: int) -> Any:
    return selectors.course_get_by_id(viewer=request.user, course_id=course_id)
