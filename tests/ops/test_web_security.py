"""Web security settings at the level a browser sees them (SECURITY.md): the Content-Security-Policy
header and its nonces, cookie flags, and upload validation of photos through the API. The browser
half of the CSP (0 violations on the key pages) is tests/browser/test_csp.py; check --deploy is
tests/ops/test_settings.py; login throttling is tests/core/test_lockout_and_language.py."""

import io
import re

import pytest
from django.conf import settings

from tests.workorders.carry_helpers import walk_to_site
from tests.workorders.conftest import jpeg, order, ticket  # noqa: F401  (fixtures)


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_every_page_gets_a_strict_policy_without_inline_script(client):
    response = client.get("/accounts/login/")
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no nonce: every script is a file
    assert "'unsafe-inline'" not in policy["style-src"] and "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    body = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", body), "an inline script"
    assert not re.search(r"\son[a-z]+=", body), "an inline event handler"


@pytest.mark.django_db
def test_a_style_block_carries_the_nonce_of_its_own_response(admin_client):
    first, second = admin_client.get("/admin/"), admin_client.get("/admin/")
    nonces = []
    for response in (first, second):
        assert response.status_code == 200
        style_src = _policy(response)["style-src"]
        nonce = next(s for s in style_src if s.startswith("'nonce-"))[len("'nonce-"):-1]
        assert f'<style nonce="{nonce}">' in response.content.decode()
        nonces.append(nonce)
    assert nonces[0] != nonces[1]  # a fresh nonce per response


@pytest.mark.django_db
def test_the_api_docs_load_their_script_from_a_url_not_inline(admin_client):
    page = admin_client.get("/api/v1/docs/")
    assert page.status_code == 200
    body = page.content.decode()
    script_url = re.search(r'<script src="([^"]*\?[^"]*script=[^"]*)"', body).group(1).replace("&amp;", "&")
    script = admin_client.get(script_url)
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    redoc = admin_client.get("/api/v1/redoc/").content.decode()
    assert "fonts.googleapis.com" not in redoc and "<redoc spec-url=" in redoc


def test_cookies_are_http_only_same_site_and_secure_in_production():
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == settings.CSRF_COOKIE_SAMESITE == "Lax"
    # SESSION/CSRF_COOKIE_SECURE default to on outside DEBUG and tests; check --deploy
    # (tests/ops/test_settings.py) fails if production runs without them.


def _png_bomb() -> bytes:
    """A small file that would decode to 10,000 × 5,000 pixels (50 megapixels)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (10_000, 5_000)).save(out, "PNG", optimize=True)
    return out.getvalue()


@pytest.mark.django_db
def test_photo_uploads_are_checked_by_content_size_and_pixels(order, technician, api_client_as, settings):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    walk_to_site(order, technician)  # photos are taken on site
    client = api_client_as(technician)
    url = f"/api/v1/work-orders/{order.pk}/photos/"

    def send(data, name="photo.jpg"):
        return client.post(url, {"image": SimpleUploadedFile(name, data, "image/jpeg")}, format="multipart")

    ok = send(jpeg())
    assert ok.status_code == 201, ok.content[:300]
    # A script named .jpg and sent as image/jpeg: refused by its content.
    fake = send(b"<script>alert(1)</script>")
    assert fake.status_code == 400 and "image" in fake.json()["errors"]
    # Bigger than WORK_ORDER_PHOTO_MAX_KB.
    settings.WORK_ORDER_PHOTO_MAX_KB = 1
    big = send(jpeg(size=(800, 600), colour=(10, 200, 90)) + b"\0" * 2048)
    assert big.status_code == 400 and "image" in big.json()["errors"]
    # A decompression bomb: tiny file, 50 megapixels.
    settings.WORK_ORDER_PHOTO_MAX_KB = 2048
    bomb = _png_bomb()
    assert len(bomb) < 2048 * 1024
    refused = send(bomb, "bomb.png")
    assert refused.status_code == 400 and "image" in refused.json()["errors"], refused.content[:300]
