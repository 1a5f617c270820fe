"""The API's list pagination: ``?limit=&offset=`` -> ``{"items": [...], "count": n}``.

django-ninja's limit-offset pagination with the offset bounded, so an absurd offset is a 422
problem rather than an integer the database cannot hold.
"""

from ninja import Field, Schema
from ninja.conf import settings
from ninja.pagination import LimitOffsetPagination

MAX_OFFSET = 2**31 - 1


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(settings.PAGINATION_PER_PAGE, ge=1, le=settings.PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
