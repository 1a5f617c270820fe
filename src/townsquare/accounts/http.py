"""The request type for views that only run for a signed-in person (django-stubs pattern)."""

from django.http import HttpRequest

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
