"""Usage statistics: per resource and month (with CSV), the staff overview, the API."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.test import Client

from townsquare.accounts.tests.factories import make_staff

from ..models import Access, ResourceUsage
from ..selectors import usage as selectors
from ..services.resources import usage_record
from .factories import make_resource
from .support_access import access_scene, usage_rows

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _csv(response) -> list[list[str]]:
    import csv

    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(text.splitlines()))


def test_month_arithmetic():
    assert selectors.month_shift(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert selectors.month_shift(date(2026, 11, 1), 2) == date(2027, 1, 1)
    months = selectors.months_back(count=3, now=NOW)
    assert months == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    assert selectors.parse_month("2025-07") == date(2025, 7, 1)
    assert selectors.parse_month("2025-13") is None
    assert selectors.parse_month("July") is None


def test_usage_by_month_fills_gaps_and_totals_everything():
    resource = make_resource()
    usage_rows(
        resource,
        {
            date(2026, 3, 1): (7, 2),
            date(2026, 1, 1): (3, 0),
            date(2023, 1, 1): (100, 50),  # older than 24 months: in the totals only
        },
    )
    summary = selectors.usage_by_month(resource, now=NOW)
    assert len(summary.months) == 24
    assert summary.months[0].month == date(2024, 4, 1)
    assert summary.months[-1] == selectors.MonthUsage(date(2026, 3, 1), 7, 2)
    assert summary.months[-2] == selectors.MonthUsage(date(2026, 2, 1), 0, 0)
    assert summary.months[-3] == selectors.MonthUsage(date(2026, 1, 1), 3, 0)
    assert (summary.total_views, summary.total_downloads) == (110, 52)
    assert summary.busiest == 7


def test_usage_record_counts_views_and_downloads_this_month():
    resource = make_resource()
    usage_record(resource_id=resource.pk)
    usage_record(resource_id=resource.pk)
    usage_record(resource_id=resource.pk, download=True)
    summary = selectors.usage_by_month(resource)
    assert (summary.months[-1].views, summary.months[-1].downloads) == (2, 1)


def test_usage_top_ranks_by_views_then_downloads_per_month_and_overall():
    first, second, third = make_resource(), make_resource(), make_resource()
    march, february = date(2026, 3, 1), date(2026, 2, 1)
    usage_rows(first, {march: (5, 1), february: (50, 0)})
    usage_rows(second, {march: (5, 4)})
    usage_rows(third, {february: (1, 1)})
    in_march = selectors.usage_top(month=march, limit=10)
    assert [(row.resource, row.views, row.downloads) for row in in_march] == [
        (second, 5, 4),
        (first, 5, 1),
    ]
    overall = selectors.usage_top(limit=2)
    assert [(row.resource, row.views) for row in overall] == [(first, 55), (second, 5)]
    assert selectors.usage_totals(month=february) == (51, 1)
    assert selectors.usage_totals() == (61, 6)


def test_the_usage_page_and_csv_for_the_owning_leader():
    scene = access_scene()
    this_month = selectors.this_month()
    usage_rows(scene.org_private, {this_month: (12, 3)})
    client = _client(scene.person("leader"))
    page = client.get(f"/library/r/{scene.org_private.slug}/usage/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "12 views and 3 downloads since counting began" in html
    assert html.count("<tr>") == 25  # the header and 24 months
    response = client.get(f"/library/r/{scene.org_private.slug}/usage.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{scene.org_private.slug}-usage.csv"'
    )
    rows = _csv(response)
    assert rows[0] == ["resource", "month", "views", "downloads"]
    assert len(rows) == 25
    assert rows[-1] == [scene.org_private.slug, f"{this_month:%Y-%m}", "12", "3"]


def test_the_usage_page_is_refused_to_readers_and_hidden_when_unlisted():
    scene = access_scene()
    reader = _client(scene.person("org_member"))
    assert reader.get(f"/library/r/{scene.org_private.slug}/usage/").status_code == 403
    outsider = _client(scene.person("outsider"))
    assert outsider.get(f"/library/r/{scene.unlisted.slug}/usage/").status_code == 404
    assert outsider.get(f"/library/r/{scene.unlisted.slug}/usage.csv").status_code == 404


def test_the_overview_shows_this_month_and_all_time_with_csv():
    staff = make_staff()
    busy = make_resource(title="Busy guide")
    quiet = make_resource(title="=cmd|' /C calc'!A0 quiet memo")
    this_month = selectors.this_month()
    last_month = selectors.month_shift(this_month, -1)
    usage_rows(busy, {this_month: (9, 4), last_month: (1, 0)})
    usage_rows(quiet, {last_month: (30, 0)})
    client = _client(staff)
    page = client.get("/library/manage/usage/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "9 views, 4 downloads in the whole library" in html
    assert "40 views, 4 downloads since counting began" in html
    assert html.index("Busy guide") < html.index("Top resources of all time")
    earlier = client.get(f"/library/manage/usage/?month={last_month:%Y-%m}").content.decode()
    assert "31 views, 0 downloads in the whole library" in earlier
    month_csv = _csv(client.get(f"/library/manage/usage.csv?month={this_month:%Y-%m}"))
    assert month_csv[0][0] == "rank"
    assert [row[1] for row in month_csv[1:]] == [busy.slug]
    all_csv = _csv(client.get("/library/manage/usage.csv?period=all"))
    assert [row[1] for row in all_csv[1:]] == [quiet.slug, busy.slug]
    assert all_csv[1][2].startswith("'=")  # no spreadsheet formula
    assert all_csv[1][5] == "all time"


def test_a_bad_month_is_a_clear_error():
    client = _client(make_staff())
    response = client.get("/library/manage/usage/?month=someday")
    assert response.status_code == 422
    assert "Give a month as YYYY-MM." in response.content.decode()
    assert client.get("/library/manage/usage.csv?month=someday").status_code == 404


def test_the_api_gives_the_months_to_deciders_only():
    scene = access_scene()
    usage_rows(scene.org_private, {selectors.this_month(): (4, 1)})
    response = _client(scene.person("leader")).get(
        f"/api/v1/library/resources/{scene.org_private.pk}/usage"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["resource_id"], body["total_views"], body["total_downloads"]) == (
        scene.org_private.pk,
        4,
        1,
    )
    assert len(body["months"]) == 24
    assert body["months"][-1] == {
        "month": f"{selectors.this_month():%Y-%m}",
        "views": 4,
        "downloads": 1,
    }
    refused = _client(scene.person("org_member")).get(
        f"/api/v1/library/resources/{scene.org_private.pk}/usage"
    )
    assert refused.status_code == 403
    hidden = _client(scene.person("outsider")).get(
        f"/api/v1/library/resources/{scene.unlisted.pk}/usage"
    )
    assert hidden.status_code == 404


# --- Query counts ---------------------------------------------------------------------------------

QUERIES_RESOURCE_USAGE = 8
QUERIES_OVERVIEW = 10


@pytest.mark.parametrize("count", [5, 50])
def test_the_usage_page_has_a_fixed_number_of_queries(count, django_assert_num_queries):
    staff = make_staff()
    resource = make_resource()
    this_month = selectors.this_month()
    usage_rows(resource, {selectors.month_shift(this_month, -n): (n, 1) for n in range(count)})
    client = _client(staff)
    with django_assert_num_queries(QUERIES_RESOURCE_USAGE):
        response = client.get(f"/library/r/{resource.slug}/usage/")
    assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_the_overview_has_a_fixed_number_of_queries(count, django_assert_num_queries):
    staff = make_staff()
    this_month = selectors.this_month()
    for number in range(count):
        resource = make_resource(
            access=Access.ORGANIZATION if number % 2 else Access.PUBLIC,
            organization=None if not number % 2 else _organization(),
            indexed=False,
        )
        ResourceUsage.objects.create(resource=resource, month=this_month, views=number)
    client = _client(staff)
    with django_assert_num_queries(QUERIES_OVERVIEW):
        response = client.get("/library/manage/usage/")
    assert response.status_code == 200


def _organization():
    from townsquare.accounts.tests.factories import make_organization

    return make_organization()
