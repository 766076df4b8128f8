"""One data set for the whole security package: the demo department (two stations, one user per role).

Built once per package (torn down before any other test directory runs) inside a transaction that
is rolled back at the end; every test runs in a savepoint inside it (pytest-django's ``db``), so what one test changes never leaks into the next.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="package")
def demo_world(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings

    media = tmp_path_factory.mktemp("media")
    old_media = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = str(media)
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", verbosity=0)
            from tests.security.world import build_world

            world = build_world()
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            settings.MEDIA_ROOT = old_media
