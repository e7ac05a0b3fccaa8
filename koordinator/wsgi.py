"""WSGI entry point."""

import os

from django.core.wsgi import get_wsgi_application

from koordinator.core import heap

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koordinator.settings")
application = get_wsgi_application()
heap.settle()
