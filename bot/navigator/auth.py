"""Console sign-in: cookies, server-side sessions, CSRF checks and login throttling."""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from sanic import Request, Sanic
from sanic.response import HTTPResponse, html, redirect, text

from bot.navigator import views
from bot.navigator.accounts import SESSION_TTL
from bot.navigator.records import SessionRecord
from bot.navigator.store import EscalationStore

log = logging.getLogger(__name__)

Handler = Callable[..., Awaitable[HTTPResponse]]
MAX_TRACKED = 10_000


@dataclass
class CookieNames:
    """``__Host-`` names need Secure, so plain names are used without HTTPS."""

    secure: bool

    @property
    def session(self) -> str:
        return "__Host-wp_nav" if self.secure else "wp_nav"

    @property
    def login(self) -> str:
        return "__Host-wp_nav_login" if self.secure else "wp_nav_login"


def set_cookie(
    response: HTTPResponse, name: str, value: str, *, secure: bool, max_age: int
) -> None:
    response.cookies[name] = value
    cookie = response.cookies[name]
    cookie["path"] = "/"
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["secure"] = secure
    cookie["max-age"] = max_age


def same(a: str | None, b: str | None) -> bool:
    """Constant-time equality for tokens; False if either is missing."""
    if not a or not b:
        return False
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


class LoginThrottle:
    """Counts failed sign-ins per username and per address; blocks when too many."""

    def __init__(self, *, per_user: int = 5, per_address: int = 30, window: float = 900.0) -> None:
        self.limits = {"user": per_user, "addr": per_address}
        self.window = window
        self._failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        failures, cutoff = self._failures[key], time.monotonic() - self.window
        while failures and failures[0] < cutoff:
            failures.popleft()
        return failures

    def blocked(self, username: str, address: str) -> bool:
        keys = (("user", username.lower()), ("addr", address))
        return any(len(self._recent(key)) >= self.limits[key[0]] for key in keys)

    def fail(self, username: str, address: str) -> None:
        now = time.monotonic()
        if len(self._failures) > MAX_TRACKED:  # don't let made-up usernames fill memory
            for key in [k for k in self._failures if not self._recent(k)]:
                del self._failures[key]
        self._failures[("user", username.lower())].append(now)
        self._failures[("addr", address)].append(now)

    def succeed(self, username: str) -> None:
        self._failures.pop(("user", username.lower()), None)


def login_required(handler: Handler) -> Handler:
    """Pass the session to the handler; redirect or 401 without one; 403 on bad CSRF."""

    @wraps(handler)
    async def wrapper(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
        session: SessionRecord | None = request.ctx.session
        if session is None:
            if request.method == "GET" and not request.path.startswith("/events/"):
                return redirect("/login")
            return text("Sign in first.", status=401)
        if request.method == "POST":
            supplied = request.form.get("csrf") or request.headers.get("x-csrf-token")
            if not same(supplied, session.csrf_token):
                log.warning("navigator.csrf.rejected path=%s", request.path)
                return text("Forbidden: missing or wrong CSRF token.", status=403)
        return await handler(request, session, *args, **kwargs)

    return wrapper


def add_auth(
    app: Sanic, store: EscalationStore, *, secure_cookies: bool, failure_delay: float
) -> None:
    """Install the session middleware and the sign-in/sign-out routes."""
    names = CookieNames(secure_cookies)
    throttle = LoginThrottle()

    @app.middleware("request")
    async def load_session(request: Request) -> None:
        request.ctx.session = None
        token = request.cookies.get(names.session)
        if token and not request.path.startswith("/static/"):
            request.ctx.session = await asyncio.to_thread(store.session_for, token)

    @app.get("/login")
    async def login_form(request: Request) -> HTTPResponse:
        if request.ctx.session is not None:
            return redirect("/")
        token = secrets.token_urlsafe(24)
        response = html(views.login_page(token, request.args.get("e")))
        set_cookie(response, names.login, token, secure=secure_cookies, max_age=3600)
        return response

    @app.post("/login")
    async def login(request: Request) -> HTTPResponse:
        if not same(request.form.get("csrf"), request.cookies.get(names.login)):
            return text("Forbidden: missing or wrong CSRF token.", status=403)
        username = (request.form.get("username") or "").strip()[:60]
        password = request.form.get("password") or ""
        address = request.ip or "unknown"
        if throttle.blocked(username, address):
            log.warning("navigator.login.throttled")
            await asyncio.sleep(failure_delay)
            return redirect("/login?e=slow", status=303)
        navigator = await asyncio.to_thread(
            store.authenticate, username=username, password=password
        )
        if navigator is None:
            throttle.fail(username, address)
            log.info("navigator.login.failed")
            await asyncio.sleep(failure_delay)
            return redirect("/login?e=login", status=303)
        throttle.succeed(username)
        token, _csrf = await asyncio.to_thread(store.create_session, navigator_id=navigator.id)
        log.info("navigator.login navigator=%s", navigator.id)
        response = redirect("/", status=303)
        max_age = int(SESSION_TTL.total_seconds())
        set_cookie(response, names.session, token, secure=secure_cookies, max_age=max_age)
        set_cookie(response, names.login, "", secure=secure_cookies, max_age=0)
        return response

    @app.post("/logout")
    @login_required
    async def logout(request: Request, session: SessionRecord) -> HTTPResponse:
        await asyncio.to_thread(store.end_session, request.cookies.get(names.session, ""))
        await asyncio.to_thread(store.set_online, navigator_id=session.navigator.id, online=False)
        log.info("navigator.logout navigator=%s", session.navigator.id)
        response = redirect("/login", status=303)
        set_cookie(response, names.session, "", secure=secure_cookies, max_age=0)
        return response
