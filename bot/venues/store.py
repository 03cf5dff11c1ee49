"""Venues and their daily totals, in Waypoint's own database (``bot.settings.db_url()``).

Channels and actions ask "is this a real venue code, and which area is it in?" on many
messages, so answers are cached in the process: known codes for good (venues are never
renamed or moved), unknown ones for a minute (a venue added by the CLI is seen soon).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot.navigator.db import Database
from bot.venues.codes import new_code, normalise
from bot.venues.models import Base, Venue, VenueDailyCount

logger = logging.getLogger(__name__)

UNKNOWN_TTL_S = 60.0
MAX_UNKNOWN = 10_000  # bounds the negative cache against made-up codes


@dataclass(frozen=True)
class VenueRecord:
    """A venue as the CLI and posters see it."""

    code: str
    name: str
    area: str
    created: date


def _record(row: Venue) -> VenueRecord:
    return VenueRecord(code=row.code, name=row.name, area=row.area, created=row.created)


class VenueStore:
    """The ``venues`` and ``venue_daily_counts`` tables."""

    def __init__(self, url: str) -> None:
        self.db = Database(url, create_tables=False)
        Base.metadata.create_all(self.db.engine)
        self._areas: dict[str, str] = {}
        self._unknown: dict[str, float] = {}
        self._lock = threading.Lock()

    def add(self, name: str, area: str) -> VenueRecord:
        """Create a venue with a fresh random code and return it."""
        name = " ".join(name.split())
        if not name:
            raise ValueError("the venue needs a name")
        for _ in range(5):  # a clash is vanishingly rare; try a new code if it happens
            row = Venue(code=new_code(), name=name[:120], area=area, created=date.today())
            try:
                with self.db.write() as session:
                    session.add(row)
                return _record(row)
            except IntegrityError:
                continue
        raise RuntimeError("could not find a free venue code")

    def get(self, code: str) -> VenueRecord | None:
        """Return the venue for ``code`` (None if there is none)."""
        with self.db.read() as session:
            row = session.get(Venue, code)
            return _record(row) if row is not None else None

    def all(self) -> list[VenueRecord]:
        """Return every venue, by area then name."""
        with self.db.read() as session:
            rows = session.execute(select(Venue).order_by(Venue.area, Venue.name)).scalars()
            return [_record(row) for row in rows]

    def area_for(self, code: object) -> str | None:
        """Return the area of venue ``code``, or None if it is not a real venue code."""
        code = normalise(code)
        if code is None:
            return None
        with self._lock:
            if code in self._areas:
                return self._areas[code]
            seen = self._unknown.get(code)
            if seen is not None and time.monotonic() - seen < UNKNOWN_TTL_S:
                return None
        venue = self.get(code)
        with self._lock:
            if venue is not None:
                self._areas[code] = venue.area
                self._unknown.pop(code, None)
                return venue.area
            if len(self._unknown) >= MAX_UNKNOWN:
                self._unknown.clear()
            self._unknown[code] = time.monotonic()
        return None

    def known(self, code: object) -> bool:
        """Return True if ``code`` is a real venue code."""
        return self.area_for(code) is not None

    def count_conversation(self, code: str, day: date) -> None:
        """Add one conversation to ``code``'s total for ``day`` (the caller de-duplicates)."""
        for _ in range(2):  # the insert can race another process's insert once
            with self.db.write() as session:
                added = session.execute(
                    update(VenueDailyCount)
                    .where(VenueDailyCount.code == code, VenueDailyCount.day == day)
                    .values(conversations=VenueDailyCount.conversations + 1)
                ).rowcount
                if added:
                    return
            try:
                with self.db.write() as session:
                    session.add(VenueDailyCount(code=code, day=day, conversations=1))
                return
            except IntegrityError:
                continue
        raise RuntimeError("could not count the conversation")

    def daily_counts(self, since: date | None = None) -> list[tuple[str, date, int]]:
        """Return ``(code, day, conversations)`` rows, newest day first."""
        query = select(VenueDailyCount).order_by(VenueDailyCount.day.desc(), VenueDailyCount.code)
        if since is not None:
            query = query.where(VenueDailyCount.day >= since)
        with self.db.read() as session:
            rows = session.execute(query).scalars()
            return [(row.code, row.day, row.conversations) for row in rows]

    def dispose(self) -> None:
        self.db.dispose()


@lru_cache(maxsize=4)
def store_for(url: str) -> VenueStore:
    """The process's store for database ``url`` (opened on first use)."""
    return VenueStore(url)


def default_store() -> VenueStore:
    """The store in Waypoint's own database (``WAYPOINT_DB_URL``)."""
    from bot.settings import db_url

    return store_for(db_url())


def area_for_venue(code: str) -> str | None:
    """Return the signposting area id of venue ``code``, or None if it is unknown.

    None too if the database cannot be read: a missing area must never stop a reply.
    """
    if normalise(code) is None:
        return None
    try:
        return default_store().area_for(code)
    except SQLAlchemyError as error:
        logger.error("venues.lookup_failed error=%s", type(error).__name__)
        return None


def known_venue(code: object, url: str | None = None) -> bool:
    """Return True if ``code`` is a real venue code (in the database at ``url``)."""
    if normalise(code) is None:
        return False  # no database look-up for something that cannot be a code
    try:
        return (store_for(url) if url else default_store()).known(code)
    except SQLAlchemyError as error:
        logger.error("venues.lookup_failed error=%s", type(error).__name__)
        return False
