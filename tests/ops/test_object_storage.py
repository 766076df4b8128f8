"""Uploaded files go through Django's storage API only, so MEDIA_STORAGE_BACKEND can move them to
object storage (OPERATIONS.md, "Scale-out"): the default is files under MEDIA_ROOT; with another
backend a photo is stored there, not on disk, and served back through the permission-checked view."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage, default_storage, storages

from tests.workorders.carry_helpers import walk_to_site
from tests.workorders.conftest import jpeg, order, ticket  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[2]


def test_the_default_is_the_filesystem_under_media_root(settings):
    assert settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    storage = storages["default"]
    assert isinstance(storage, FileSystemStorage)
    assert Path(storage.location) == Path(settings.MEDIA_ROOT)


@pytest.mark.django_db
def test_a_photo_lives_in_the_configured_storage_and_is_served_from_it(order, technician, api_client_as, settings, tmp_path):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tickets.models import WorkOrderPhoto

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    walk_to_site(order, technician)  # photos are taken on site
    client = api_client_as(technician)
    data = jpeg(colour=(1, 2, 3))
    response = client.post(f"/api/v1/work-orders/{order.pk}/photos/",
                           {"image": SimpleUploadedFile("p.jpg", data, "image/jpeg")}, format="multipart")
    assert response.status_code == 201, response.content[:300]
    photo = WorkOrderPhoto.objects.get(order=order)
    assert default_storage.exists(photo.image.name)
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.jpg"))
    served = client.get(f"/api/v1/work-orders/{order.pk}/photos/{photo.pk}/image/")
    assert served.status_code == 200
    assert b"".join(served.streaming_content if served.streaming else [served.content]) == data


@pytest.mark.slow
@pytest.mark.parametrize(("options", "ok"), [('{"location": "/tmp/sd-media-test"}', True), ("[1, 2]", False), ("{nope", False)])
def test_media_storage_options_must_be_a_json_object(tmp_path, options, ok):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(DEBUG="1", SERVICEDESK_VAR_DIR=str(tmp_path), MEDIA_STORAGE_OPTIONS=options)
    code = "from django.core.files.storage import storages; s = storages['default']; print(type(s).__name__, s.location)"
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    if ok:
        assert result.returncode == 0, result.stderr[-2000:]
        assert result.stdout.split()[-1] == "/tmp/sd-media-test"
    else:
        assert result.returncode != 0
        assert "MEDIA_STORAGE_OPTIONS must be a JSON object" in result.stderr
