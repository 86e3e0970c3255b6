"""WSGI entry point for gunicorn: `gunicorn govlearn.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govlearn.settings.base")
application = get_wsgi_application()
