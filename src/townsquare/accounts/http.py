"""Request types for code that only runs for a signed-in person (django-stubs' recommended pattern)."""

from django.http import HttpRequest

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
