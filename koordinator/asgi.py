"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

from koordinator.core import heap

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koordinator.settings")
application = get_asgi_application()
heap.settle()
