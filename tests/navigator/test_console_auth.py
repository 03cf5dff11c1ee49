"""Console sign-in and page security: real app, real HTTP, a stand-in Rasa server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.navigator.store import EscalationStore
from tests.navigator.fake_rasa import FakeRasa
from tests.navigator.harness import (
    PASSWORD,
    Console,
    escalate,
    login,
    running_console,
    signed_in,
)

pytestmark = pytest.mark.asyncio


async def test_login_required(console: Console) -> None:
    escalation_id = escalate(console)
    async with console.client() as client:
        for path in ("/", f"/escalations/{escalation_id}"):
            response = await client.get(path)
            assert response.status_code == 302 and response.headers["location"] == "/login"
        assert (await client.get("/events/queue")).status_code == 401
        take_over = await client.post(f"/escalations/{escalation_id}/take-over", data={})
        assert take_over.status_code == 401
    assert console.rasa.received == []


async def test_login_page_security(console: Console) -> None:
    async with console.client() as client:
        form = await client.get("/login")
        headers = form.headers
        assert headers["content-security-policy"].startswith("default-src 'self'")
        assert headers["x-frame-options"] == "DENY"
        assert headers["cache-control"] == "no-store"
        cookie = headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        no_csrf = await client.post("/login", data={"username": "sam", "password": PASSWORD})
        assert no_csrf.status_code == 403
        wrong = await login(client, password="not the password")
        assert wrong.status_code == 303 and wrong.headers["location"] == "/login?e=login"
        right = await login(client)
        assert right.status_code == 303 and right.headers["location"] == "/"
        session_cookie = right.headers["set-cookie"]
        assert "wp_nav=" in session_cookie and "HttpOnly" in session_cookie
        assert "SameSite=Strict" in session_cookie
        assert "Signed in as Sam" in (await client.get("/")).text


async def test_failed_logins_are_throttled(console: Console) -> None:
    async with console.client() as client:
        for _ in range(5):
            await login(client, password="guessing again")
        blocked = await login(client)  # even the right password, for now
        assert blocked.headers["location"] == "/login?e=slow"
        assert (await client.get("/")).status_code == 302


async def test_csrf_is_enforced(console: Console) -> None:
    escalation_id = escalate(console)
    async with console.client() as client:
        csrf = await signed_in(client)
        for path in ("/status", f"/escalations/{escalation_id}/take-over", "/logout"):
            assert (await client.post(path, data={"online": "1"})).status_code == 403
            bad = await client.post(path, data={"online": "1", "csrf": "x" + csrf})
            assert bad.status_code == 403
        assert console.rasa.received == []
        ok = await client.post("/status", data={"online": "1", "csrf": csrf})
        assert ok.status_code == 303
    navigator = console.store.navigators()[1]
    assert navigator.username == "sam" and navigator.online
    assert console.store.any_navigator_online()


async def test_logout_ends_the_session(console: Console) -> None:
    async with console.client() as client:
        csrf = await signed_in(client)
        await client.post("/status", data={"online": "1", "csrf": csrf})
        response = await client.post("/logout", data={"csrf": csrf})
        assert response.status_code == 303 and response.headers["location"] == "/login"
        assert (await client.get("/")).status_code == 302
    assert not console.store.any_navigator_online()  # logging out means not available


async def test_nothing_is_loaded_from_other_hosts(console: Console) -> None:
    escalate(console)
    async with console.client() as client:
        await signed_in(client)
        pages = [(await client.get(p)).text for p in ("/", "/escalations/1", "/login")]
        static = [
            (await client.get(p)).text for p in ("/static/console.js", "/static/console.css")
        ]
    for text in pages + static:
        assert not re.search(r"https?://|//[a-z]", text, re.IGNORECASE)
    for text in pages:
        for ref in re.findall(r'(?:src|href|action)="([^"]*)"', text):
            assert ref.startswith("/"), ref


async def test_secure_cookies_use_the_host_prefix(tmp_path: Path, fake_rasa: FakeRasa) -> None:
    store = EscalationStore(f"sqlite:///{tmp_path / 'secure.db'}")
    async with (
        running_console(store, fake_rasa, secure_cookies=True) as console,
        console.client() as client,
    ):
        cookie = (await client.get("/login")).headers["set-cookie"]
    store.dispose()
    assert cookie.startswith("__Host-wp_nav_login=")
    assert "Secure" in cookie and "Path=/" in cookie and "Domain" not in cookie
