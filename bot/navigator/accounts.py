"""Navigator accounts and console sessions (mixed into the escalation store)."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from bot.navigator.db import Database
from bot.navigator.models import ConsoleSession, Navigator, utcnow
from bot.navigator.passwords import burn_time, hash_password, verify_password
from bot.navigator.records import NavigatorRecord, SessionRecord

SESSION_TTL = timedelta(hours=12)
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,59}$")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_username(username: str) -> str:
    """Lower-case and check a username; raise ValueError if it is not acceptable."""
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise ValueError("username: 2-60 of a-z, 0-9, '.', '_' or '-'")
    return name


class AccountsMixin:
    """Navigator accounts and sessions; expects ``self.db`` (a :class:`Database`)."""

    db: Database

    def add_navigator(self, *, username: str, display_name: str, password: str) -> int:
        """Create a navigator with a hashed password; ValueError if the username is taken."""
        name = normalise_username(username)
        shown = " ".join(display_name.split())
        if not 1 <= len(shown) <= 60:
            raise ValueError("display name: 1-60 characters")
        if not password:
            raise ValueError("password must not be empty")
        with self.db.write() as session:
            if session.execute(select(Navigator.id).where(Navigator.username == name)).first():
                raise ValueError(f"username {name!r} is already taken")
            row = Navigator(
                username=name, display_name=shown, password_hash=hash_password(password)
            )
            session.add(row)
            session.flush()
            return int(row.id)

    def set_password(self, *, username: str, password: str) -> None:
        """Replace a navigator's password and end all of their sessions."""
        name = normalise_username(username)
        with self.db.write() as session:
            row = session.execute(
                select(Navigator).where(Navigator.username == name)
            ).scalar_one_or_none()
            if row is None:
                raise LookupError(f"no navigator {name!r}")
            row.password_hash = hash_password(password)
            session.execute(delete(ConsoleSession).where(ConsoleSession.navigator_id == row.id))

    def authenticate(self, *, username: str, password: str) -> NavigatorRecord | None:
        """Return the navigator if the password matches, else None (same time either way)."""
        try:
            name = normalise_username(username)
        except ValueError:
            name = ""
        with self.db.read() as session:
            row = session.execute(
                select(Navigator).where(Navigator.username == name)
            ).scalar_one_or_none()
        if row is None:
            burn_time(password)
            return None
        return NavigatorRecord.of(row) if verify_password(password, row.password_hash) else None

    def get_navigator(self, navigator_id: int) -> NavigatorRecord | None:
        with self.db.read() as session:
            row = session.get(Navigator, navigator_id)
            return NavigatorRecord.of(row) if row else None

    def navigators(self) -> list[NavigatorRecord]:
        """All navigator accounts, by username."""
        with self.db.read() as session:
            rows = session.execute(select(Navigator).order_by(Navigator.username)).scalars()
            return [NavigatorRecord.of(row) for row in rows]

    def set_online(self, *, navigator_id: int, online: bool, now: datetime | None = None) -> None:
        """Mark a navigator available (or not) for new conversations."""
        with self.db.write() as session:
            session.execute(
                update(Navigator)
                .where(Navigator.id == navigator_id)
                .values(online=online, last_seen=now or utcnow())
            )

    def touch_navigator(self, *, navigator_id: int, now: datetime | None = None) -> None:
        """Record that this navigator's console is open right now (heartbeat)."""
        with self.db.write() as session:
            session.execute(
                update(Navigator)
                .where(Navigator.id == navigator_id)
                .values(last_seen=now or utcnow())
            )

    def create_session(
        self, *, navigator_id: int, ttl: timedelta = SESSION_TTL, now: datetime | None = None
    ) -> tuple[str, str]:
        """Start a console session; return (cookie token, CSRF token)."""
        now = now or utcnow()
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self.db.write() as session:
            session.execute(delete(ConsoleSession).where(ConsoleSession.expires_at <= now))
            session.add(
                ConsoleSession(
                    token_hash=_token_hash(token),
                    navigator_id=navigator_id,
                    csrf_token=csrf,
                    created_at=now,
                    expires_at=now + ttl,
                )
            )
        return token, csrf

    def session_for(self, token: str, *, now: datetime | None = None) -> SessionRecord | None:
        """Return the live session for a cookie token, or None if unknown or expired."""
        if not token:
            return None
        now = now or utcnow()
        with self.db.read() as session:
            found = session.execute(
                select(ConsoleSession, Navigator)
                .join(Navigator, Navigator.id == ConsoleSession.navigator_id)
                .where(ConsoleSession.token_hash == _token_hash(token))
            ).first()
        if found is None or found[0].expires_at <= now:
            return None
        return SessionRecord.of(found[0], found[1])

    def end_session(self, token: str) -> None:
        """Log out: forget the session for this cookie token."""
        with self.db.write() as session:
            session.execute(
                delete(ConsoleSession).where(ConsoleSession.token_hash == _token_hash(token))
            )
