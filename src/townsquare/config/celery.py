"""The Celery application. Without CELERY_BROKER_URL every task runs inline (eagerly)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.config.settings")

app = Celery("townsquare")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
