"""Property-based fuzzing of the whole API from its OpenAPI document (schemathesis).

Every operation gets generated input, valid and not, as a signed-in member of staff: whatever comes
in, the answer is never a server error and always matches the documented responses' shape.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from townsquare.accounts import services
from townsquare.accounts.tests.factories import make_organization, make_staff, make_user
from townsquare.config.wsgi import application

# Read from the app itself, in process; pytest-django has set Django up before collection.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def _keep_test_connection():
    """Calling the WSGI app directly fires request_started/finished, whose handler closes the
    database connection and with it the test's transaction; Django's test client unhooks it the
    same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(db, _keep_test_connection) -> dict[str, str]:
    staff = make_staff()
    organization = make_organization(leader=make_user())
    services.membership_add(actor=staff, organization=organization, email=make_user().email)
    return {"Authorization": f"Bearer {services.api_token_create(user=staff, name='fuzz').raw}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_produces_a_server_error(case, bearer):
    case.call_and_validate(headers=bearer, checks=[schemathesis.checks.not_a_server_error])
