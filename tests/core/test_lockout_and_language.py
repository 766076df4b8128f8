"""Login throttling (django-axes) and the language switch."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese_by_default_and_tablet_ready(client):
    response = client.get(reverse("login"))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in page
    assert "登录" in page and "用户名" in page and "密码" in page
    assert 'name="viewport"' in page and 'autocomplete="current-password"' in page


def test_wrong_password_shows_a_clear_error(sign_in, technician):
    response = sign_in(technician, secret="wrong-password")
    assert response.status_code == 200
    assert "请输入一个正确的用户名和密码" in response.content.decode()


def test_five_failed_logins_lock_the_user_and_show_the_locked_out_page(sign_in, technician, password):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert sign_in(technician, secret="wrong-password").status_code == 200
    response = sign_in(technician, secret="wrong-password")
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录失败次数过多" in page
    assert technician.user.username in page and "15 分钟" in page
    # Now even the right password is refused, with the same page.
    response = sign_in(technician)
    assert response.status_code == 429 and "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in response.client.session


def test_lockout_is_per_username_not_for_the_whole_address(sign_in, technician, supervisor):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(technician, secret="wrong-password")
    response = sign_in(supervisor)
    assert response.redirect_chain[-1][0] == reverse("supervisor_home")


def test_locked_out_page_in_english(client, technician):
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": technician.user.username, "password": "nope"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-ins" in page and "15 minutes" in page


def test_language_switch_to_english_and_back(client, sign_in, technician, tech_customer):
    sign_in(technician)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("tablet_home")}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("tablet_home")
    assert '<html lang="en">' in page
    assert "My customers" in page and "Key customer" in page and "In warranty" in page
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("tablet_home")}, follow=True)
    assert "我的客户" in response.content.decode()


def test_set_language_refuses_an_outside_next_url(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_behind_the_proxies_the_lock_is_per_client_address_and_the_header_cannot_be_spoofed(sign_in, technician, settings):
    """TRUSTED_PROXY_COUNT=2 (compose: the TLS terminator, then nginx): the client is two hops back
    in X-Forwarded-For, whatever it wrote there itself (servicedesk.core.client_ip)."""
    settings.TRUSTED_PROXY_COUNT = 2
    nginx = {"REMOTE_ADDR": "172.18.0.5"}

    def through_proxies(client_address, spoofed=""):
        chain = ", ".join(part for part in (spoofed, client_address, "10.0.0.1") if part)  # 10.0.0.1: the TLS proxy
        return {**nginx, "HTTP_X_FORWARDED_FOR": chain}

    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(technician, secret="wrong-password", **through_proxies("203.0.113.7"))
    # Locked from that address, even when it pretends to be someone else in the header.
    assert sign_in(technician, **through_proxies("203.0.113.7", spoofed="198.51.100.9")).status_code == 429
    # The same person from another address (his tablet on mobile data) is not locked out.
    response = sign_in(technician, **through_proxies("198.51.100.20"))
    assert response.status_code == 200 and response.redirect_chain, response.content[:200]
    assert "_auth_user_id" in response.client.session
