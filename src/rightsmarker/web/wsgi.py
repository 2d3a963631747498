"""WSGI entry point (``rightsmarker.web.wsgi:application``) for waitress, gunicorn or uWSGI."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightsmarker.web.settings")
application = get_wsgi_application()
