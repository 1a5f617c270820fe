"""The catalog API: public reads, filters, pagination, drafts hidden, fixed query counts."""

from __future__ import annotations

import pytest

from ..models import AccessTier
from ..services import catalog as services
from .factories import make_course, make_credit_activity, make_instructor

pytestmark = pytest.mark.django_db


def test_anonymous_lists_published_courses_with_filters(client):
    course = make_course(title="Podcasting basics", tier=AccessTier.PUBLIC)
    services.course_search_sync(course=course)
    make_credit_activity(course)
    make_course(title="Other")
    make_course(title="Draft", published=False)
    body = client.get("/api/v1/academy/courses").json()
    assert body["count"] == 2
    assert {item["title"] for item in body["items"]} == {"Podcasting basics", "Other"}
    body = client.get("/api/v1/academy/courses?q=podcast&credit=true").json()
    assert [item["code"] for item in body["items"]] == [course.code]
    assert body["items"][0]["offers_credit"] is True
    assert client.get("/api/v1/academy/courses?tier=public").json()["count"] == 1
    assert client.get("/api/v1/academy/courses?limit=1&offset=1").json()["count"] == 2
    response = client.get("/api/v1/academy/courses?level=nope")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


def test_course_detail_has_outline_and_hides_drafts(client, client_for):
    instructor = make_instructor(display_name="Ivy Instructor")
    course = make_course(instructors=(instructor,))
    make_credit_activity(course)
    body = client.get(f"/api/v1/academy/courses/{course.pk}").json()
    assert body["code"] == course.code
    assert [m["title"] for m in body["modules"]] == ["Module 1", "Module 2", "Check your knowledge"]
    assert body["modules"][2]["lessons"][0]["kind"] == "quiz"
    assert body["instructors"] == [{"id": instructor.pk, "display_name": "Ivy Instructor"}]
    assert body["credit"]["credit_type"] == "nursing"
    draft = make_course(published=False, instructors=(instructor,))
    assert client.get(f"/api/v1/academy/courses/{draft.pk}").status_code == 404
    assert client_for(instructor).get(f"/api/v1/academy/courses/{draft.pk}").status_code == 200
    assert client.get("/api/v1/academy/courses/999999").status_code == 404


@pytest.mark.parametrize("count", [5, 50])
def test_api_query_counts_are_fixed(client, django_assert_num_queries, count):
    courses = [make_course(modules=1, lessons_per_module=count // 5) for _ in range(count)]
    with django_assert_num_queries(3):
        assert client.get("/api/v1/academy/courses?limit=100").json()["count"] == count
    with django_assert_num_queries(7):
        client.get(f"/api/v1/academy/courses/{courses[0].pk}")
