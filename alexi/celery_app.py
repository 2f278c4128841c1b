"""The Celery app. Without a broker configured, tasks run in process (settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alexi.settings")

app = Celery("alexi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
