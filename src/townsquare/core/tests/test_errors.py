from __future__ import annotations

from townsquare.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed


def test_problem_document_has_rfc9457_members():
    problem = ValidationFailed("Name is missing.", field_errors={"name": ["Required."]}).as_problem(
        instance="/api/v1/x"
    )
    assert problem == {
        "type": "https://townsquare.dev/problems/validation-failed",
        "title": "The input is not valid",
        "status": 422,
        "detail": "Name is missing.",
        "code": "validation-failed",
        "instance": "/api/v1/x",
        "errors": {"name": ["Required."]},
    }


def test_each_error_has_a_stable_code_and_status():
    assert (NotFound("x").code, NotFound("x").status) == ("not-found", 404)
    assert (PermissionRefused("x").code, PermissionRefused("x").status) == (
        "permission-denied",
        403,
    )
    assert (Conflict("x").code, Conflict("x").status) == ("conflict", 409)
