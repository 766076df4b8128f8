import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")
application = get_wsgi_application()

# Import the URLconf, and with it every view, form and serializer, while the worker boots rather
# than in the first request it serves (a quarter of a second or more, measured in the load run:
# BENCHMARKS.md "Load"); gunicorn starts taking requests only after this module has loaded.
get_resolver().url_patterns
