"""Usage statistics: views and downloads per resource and calendar month (UTC).

``services.resources.usage_record`` counts; these read. Months without a row count as zero, so a
resource's history always has the same number of months."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db.models import Sum
from django.utils import timezone

from ..models import Resource, ResourceUsage

MONTHS_SHOWN = 24


@dataclass(frozen=True)
class MonthUsage:
    month: date
    views: int
    downloads: int


@dataclass(frozen=True)
class ResourceUsageSummary:
    resource: Resource
    months: list[MonthUsage]
    total_views: int
    total_downloads: int

    @property
    def busiest(self) -> int:
        """The largest monthly count, to scale the bars (at least 1)."""
        return max([1, *(max(row.views, row.downloads) for row in self.months)])


@dataclass(frozen=True)
class TopRow:
    resource: Resource
    views: int
    downloads: int


def this_month(now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(UTC).date().replace(day=1)


def month_shift(month: date, months: int) -> date:
    """The first of the month ``months`` later (negative: earlier)."""
    index = month.year * 12 + (month.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def months_back(*, count: int = MONTHS_SHOWN, now: datetime | None = None) -> list[date]:
    """The last ``count`` months, oldest first, ending with this one."""
    current = this_month(now)
    return [month_shift(current, -offset) for offset in range(count - 1, -1, -1)]


def parse_month(value: str) -> date | None:
    """``YYYY-MM`` as the first of that month; None when it is not one."""
    try:
        parsed = datetime.strptime(value.strip(), "%Y-%m").replace(tzinfo=UTC)
    except ValueError:
        return None
    return parsed.date() if 2000 <= parsed.year <= 9999 else None


def usage_by_month(
    resource: Resource, *, months: int = MONTHS_SHOWN, now: datetime | None = None
) -> ResourceUsageSummary:
    """The resource's views and downloads in each of the last ``months`` months (oldest first,
    gaps as zeros) and its totals since counting began. Two queries."""
    shown = months_back(count=months, now=now)
    rows = {
        row.month: row
        for row in ResourceUsage.objects.filter(resource=resource, month__gte=shown[0]).only(
            "month", "views", "downloads"
        )
    }
    totals = ResourceUsage.objects.filter(resource=resource).aggregate(
        views=Sum("views"), downloads=Sum("downloads")
    )
    return ResourceUsageSummary(
        resource=resource,
        months=[
            MonthUsage(
                month=month,
                views=rows[month].views if month in rows else 0,
                downloads=rows[month].downloads if month in rows else 0,
            )
            for month in shown
        ],
        total_views=totals["views"] or 0,
        total_downloads=totals["downloads"] or 0,
    )


def usage_top(*, month: date | None = None, limit: int = 20) -> list[TopRow]:
    """The most used resources in ``month`` (or overall when None): by views, then downloads.
    Two queries whatever the limit."""
    usage = ResourceUsage.objects.all()
    if month is not None:
        usage = usage.filter(month=month)
    ranked = list(
        usage.values("resource_id")
        .annotate(total_views=Sum("views"), total_downloads=Sum("downloads"))
        .order_by("-total_views", "-total_downloads", "resource_id")[: max(limit, 0)]
    )
    resources = Resource.objects.select_related("organization").in_bulk(
        [row["resource_id"] for row in ranked]
    )
    return [
        TopRow(
            resource=resources[row["resource_id"]],
            views=row["total_views"] or 0,
            downloads=row["total_downloads"] or 0,
        )
        for row in ranked
        if row["resource_id"] in resources
    ]


def usage_totals(*, month: date | None = None) -> tuple[int, int]:
    """All views and downloads in ``month`` (or overall)."""
    usage = ResourceUsage.objects.all()
    if month is not None:
        usage = usage.filter(month=month)
    totals = usage.aggregate(views=Sum("views"), downloads=Sum("downloads"))
    return totals["views"] or 0, totals["downloads"] or 0


def usage_csv_rows(summary: ResourceUsageSummary) -> Iterator[list[object]]:
    yield ["resource", "month", "views", "downloads"]
    for row in summary.months:
        yield [summary.resource.slug, f"{row.month:%Y-%m}", row.views, row.downloads]


def top_csv_rows(rows: list[TopRow], *, month: date | None) -> Iterator[list[object]]:
    yield ["rank", "resource", "title", "type", "access", "period", "views", "downloads"]
    period = f"{month:%Y-%m}" if month else "all time"
    for rank, row in enumerate(rows, start=1):
        yield [
            rank,
            row.resource.slug,
            row.resource.title,
            row.resource.get_kind_display(),
            row.resource.get_access_display(),
            period,
            row.views,
            row.downloads,
        ]
