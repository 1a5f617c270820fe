"""Test suite settings: SQLite by default, PostgreSQL with TOWNSQUARE_TEST_DATABASE_URL."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-suite-only-secret-key-0123456789abcdefghijklmnop")

from .settings import *  # noqa: E402, F403
from .settings import database_config, env  # noqa: E402

test_database_url = env.str("TOWNSQUARE_TEST_DATABASE_URL", default="")
DATABASES = {
    "default": database_config(test_database_url or "sqlite:///:memory:"),
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
CELERY_TASK_ALWAYS_EAGER = True
ALLOWED_HOSTS = ["*"]
