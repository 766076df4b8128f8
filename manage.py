#!/usr/bin/env python
"""Django's command-line utility for Service Desk."""
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 — loads the settings
    except ImproperlyConfigured as exc:
        # Django would carry on without settings and fail later with "Models aren't loaded yet".
        sys.exit(f"manage.py: {exc}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
