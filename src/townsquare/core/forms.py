"""Helpers shared by every app's page forms."""

from __future__ import annotations

from typing import Any

from .errors import DomainError


def form_errors_from(
    error: DomainError, form: Any, field_names: dict[str, str] | None = None
) -> None:
    """Show a service's error beside the form field it concerns (``field_names`` maps a service's
    field name to the form's where they differ); errors about no field go to the top."""
    if not error.field_errors:
        form.add_error(None, error.message)
        return
    for name, field_messages in error.field_errors.items():
        field = (field_names or {}).get(name, name)
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)
