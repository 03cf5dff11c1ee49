"""The navigator console: a small Sanic app, server-rendered, nothing from other hosts.

Pages and live feeds are here; sign-in is in ``auth``, and the actions that change a
conversation (take over, reply, hand back, close) are in ``handoff_routes``.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from sanic import Request, Sanic
from sanic.response import HTTPResponse, html, redirect, text

from bot.navigator import views
from bot.navigator.auth import CookieNames, add_auth, login_required
from bot.navigator.handoff_routes import add_handoff_routes, claimer_name, db
from bot.navigator.hours import describe_hours, is_open, when_back
from bot.navigator.live import QUEUE_POLL, TRANSCRIPT_POLL, QueueFeed, TranscriptFeed, stream
from bot.navigator.rasa_client import RasaClient
from bot.navigator.records import SessionRecord
from bot.navigator.store import EscalationStore

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).with_name("static")
STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'; object-src 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def create_app(
    store: EscalationStore,
    rasa: RasaClient,
    *,
    secure_cookies: bool,
    name: str = "waypoint_navigator",
    failure_delay: float = 1.0,
) -> Sanic:
    """Build the console. ``name`` must be unique per process (Sanic keeps a registry)."""
    app = Sanic(name, configure_logging=False)  # records go to bot.logs (structured)
    app.config.REQUEST_MAX_SIZE = 64 * 1024
    names = CookieNames(secure_cookies)
    static = {p.name: p.read_bytes() for p in STATIC_DIR.iterdir() if p.suffix in STATIC_TYPES}
    add_auth(app, store, secure_cookies=secure_cookies, failure_delay=failure_delay)

    add_handoff_routes(app, store, rasa)

    @app.middleware("response")
    async def security_headers(request: Request, response: HTTPResponse) -> None:
        for header, value in SECURITY_HEADERS.items():
            response.headers[header] = value
        if request.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-cache"
        else:  # pages show transcripts: never keep them in a browser or proxy cache
            response.headers["Cache-Control"] = "no-store"

    @app.listener("after_server_stop")
    async def close_rasa(_app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        await rasa.aclose()

    @app.get("/healthz")
    async def healthz(request: Request) -> HTTPResponse:
        return text("ok")

    @app.get("/favicon.ico")
    async def favicon(request: Request) -> HTTPResponse:
        return HTTPResponse(status=204)

    @app.get("/static/<filename:str>")
    async def static_file(request: Request, filename: str) -> HTTPResponse:
        if filename not in static:
            return text("Not found", status=404)
        return HTTPResponse(static[filename], content_type=STATIC_TYPES[Path(filename).suffix])

    @app.get("/")
    @login_required
    async def queue_page(request: Request, session: SessionRecord) -> HTTPResponse:
        me = await db(store.get_navigator, session.navigator.id)
        hours = store.hours
        back_at = when_back(None, hours)
        if is_open(None, hours):
            now_words = "Open now."
        else:
            now_words = f"Closed now; back {back_at}." if back_at else "Closed now."
        payload = await QueueFeed(store).payload()
        return html(
            views.queue_page(
                navigator=me or session.navigator,
                csrf=session.csrf_token,
                rows_html=payload["html"],
                available=payload["available"] == "yes",
                hours_lines=describe_hours(hours),
                hours_now=now_words,
            )
        )

    @app.post("/status")
    @login_required
    async def set_status(request: Request, session: SessionRecord) -> HTTPResponse:
        online = request.form.get("online") == "1"
        await db(store.set_online, navigator_id=session.navigator.id, online=online)
        log.info("navigator.status navigator=%s online=%s", session.navigator.id, online)
        return redirect("/", status=303)

    @app.get("/escalations/<escalation_id:int>")
    @login_required
    async def escalation_page(
        request: Request, session: SessionRecord, escalation_id: int
    ) -> HTTPResponse:
        row = await db(store.get, escalation_id)
        if row is None:
            return text("No such escalation.", status=404)
        feed = TranscriptFeed(store, rasa, escalation_id)
        await feed.marker()
        return html(
            views.escalation_page(
                row=row,
                me=session.navigator,
                csrf=session.csrf_token,
                claimer=await claimer_name(store, row),
                live_html=await feed.live_html(),
                history=await db(store.history, escalation_id),
                error=request.args.get("e"),
            )
        )

    @app.get("/events/queue")
    @login_required
    async def queue_events(request: Request, session: SessionRecord) -> None:
        feed = QueueFeed(store)
        await stream(
            request,
            session,
            store,
            request.cookies.get(names.session, ""),
            interval=QUEUE_POLL,
            poll=feed.marker,
            render=feed.render,
        )

    @app.get("/events/escalations/<escalation_id:int>")
    @login_required
    async def escalation_events(
        request: Request, session: SessionRecord, escalation_id: int
    ) -> None:
        feed = TranscriptFeed(store, rasa, escalation_id)
        await stream(
            request,
            session,
            store,
            request.cookies.get(names.session, ""),
            interval=TRANSCRIPT_POLL,
            poll=feed.marker,
            render=feed.render,
        )

    return app
