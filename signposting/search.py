"""Find services: by topic, area (local, then regional, then national), age and open now.

Ranking, best first:
1. for young people and parents, services they can contact themselves come before those
   whose way in isn't known, and those before services that need a professional to refer
   (a frightened 15-year-old at 2am needs a number that answers). For professionals
   (``professional=True``: a youth worker) this step is skipped;
2. local, then regional, then national;
3. open now (or always open), then hours unknown, then closed;
4. specialists (a service listed for this one need, e.g. a bereavement line for grief)
   before services listed for several;
5. the order of the data file (its editors put the most useful first).

The directory is small and changes only on import, so searches run over an in-memory
index of it, rebuilt whenever the database holds a newer import (see ``_index``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from signposting import areas as area_lookup
from signposting.hours import ALWAYS, UNKNOWN, Period, describe_opening, is_open
from signposting.hours import next_opening as next_open
from signposting.models import (
    BOTH,
    NATIONAL,
    PROFESSIONAL,
    SELF_REFERRAL,
    Contact,
    DirectoryMeta,
    OpeningPeriod,
    Organisation,
    Service,
    ServiceArea,
    ServiceTopic,
)
from signposting.topics import TOPICS

TIERS = ("local", "regional", "national")
OPEN, CLOSED = "open", "closed"
AGES_THAT_MIGHT_MATTER = (10, 12, 14, 16, 17, 18, 20, 24, 30)


class UnknownTopic(ValueError):
    """A topic that isn't one of ``topics.TOPICS``."""


@dataclass(frozen=True)
class Where:
    """The place a search is for: an area, a region, or neither (national only)."""

    area: area_lookup.Area | None = None
    region: str | None = None

    @classmethod
    def parse(cls, text: str | None) -> Where:
        """From an area id, a region id, a place name, a district or a postcode."""
        if not text:
            return cls()
        by_id = area_lookup.get_area(text)
        if by_id:
            return cls(by_id, by_id.region or None)
        if text in area_lookup.REGIONS:
            return cls(None, text)
        region = area_lookup.resolve_region(text)
        if region:
            return cls(None, region)
        area = area_lookup.resolve_area(text)
        return cls(area, area.region or None) if area else cls()

    @property
    def known(self) -> bool:
        return self.area is not None or self.region is not None


@dataclass(frozen=True)
class ContactMethod:
    type: str
    value: str
    keyword: str | None
    note: str | None


@dataclass(frozen=True)
class Result:
    """One service in a search answer."""

    id: str
    name: str
    organisation: str | None
    description: str
    tier: str
    areas: tuple[str, ...]
    min_age: int | None
    max_age: int | None
    access: str
    access_note: str | None
    status: str  # open / closed / unknown (always-open services are "open")
    always_open: bool
    opens_at: datetime | None
    opens_text: str | None
    hours_note: str | None
    contacts: tuple[ContactMethod, ...]
    source: str
    verified: date

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form (``--json`` and the action server)."""
        return {
            "id": self.id,
            "name": self.name,
            "organisation": self.organisation,
            "description": self.description,
            "tier": self.tier,
            "areas": list(self.areas),
            "min_age": self.min_age,
            "max_age": self.max_age,
            "access": self.access,
            "access_note": self.access_note,
            "status": self.status,
            "always_open": self.always_open,
            "opens_at": self.opens_at.isoformat() if self.opens_at else None,
            "opens_text": self.opens_text,
            "hours_note": self.hours_note,
            "contacts": [vars(c) for c in self.contacts],
            "source": self.source,
            "verified": self.verified.isoformat(),
        }


@dataclass(frozen=True)
class Page:
    """One page of results and how many there are in all."""

    results: list[Result]
    total: int
    offset: int
    where: Where = field(default_factory=Where)

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.results) < self.total


@dataclass(frozen=True)
class _Entry:
    """One service as the in-memory index holds it."""

    id: str
    name: str
    organisation: str | None
    description: str
    min_age: int | None
    max_age: int | None
    access: str
    access_note: str | None
    hours_status: str
    hours_note: str | None
    source: str
    verified: date
    position: int
    topic_count: int  # a service for one need is a specialist: it ranks first
    areas: tuple[str, ...]
    contacts: tuple[ContactMethod, ...]
    periods: tuple[Period, ...]


@dataclass(frozen=True)
class _Index:
    """Every service, and service ids by (topic, area id / region / "national")."""

    entries: dict[str, _Entry]
    by_topic_area: dict[tuple[str, str], tuple[str, ...]]


_indexes: dict[tuple[str, str], _Index] = {}
_indexes_lock = threading.Lock()


def _build_index(session: Session) -> _Index:
    def grouped(rows: Any) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {}
        for row in rows:
            out.setdefault(row[0], []).append(row[1:])
        return out

    orgs = dict(session.execute(select(Organisation.id, Organisation.name)).all())
    areas = grouped(session.execute(select(ServiceArea.service_id, ServiceArea.area_id)))
    topics = grouped(session.execute(select(ServiceTopic.service_id, ServiceTopic.topic)))
    contacts = grouped(
        session.execute(
            select(
                Contact.service_id, Contact.type, Contact.value, Contact.keyword, Contact.note
            ).order_by(Contact.service_id, Contact.position)
        )
    )
    periods = grouped(
        session.execute(
            select(
                OpeningPeriod.service_id,
                OpeningPeriod.weekday,
                OpeningPeriod.opens,
                OpeningPeriod.closes,
            )
        )
    )
    entries: dict[str, _Entry] = {}
    by_topic_area: dict[tuple[str, str], list[str]] = {}
    columns = (
        Service.id, Service.organisation_id, Service.name, Service.description,
        Service.min_age, Service.max_age, Service.access, Service.access_note,
        Service.hours_status, Service.hours_note, Service.source_url, Service.verified,
        Service.position,
    )  # fmt: skip
    for row in session.execute(select(*columns)):
        service_id = row.id
        where = tuple(sorted(area for (area,) in areas.get(service_id, [])))
        entries[service_id] = _Entry(
            id=service_id,
            name=row.name,
            organisation=orgs.get(row.organisation_id),
            description=row.description,
            min_age=row.min_age,
            max_age=row.max_age,
            access=row.access,
            access_note=row.access_note,
            hours_status=row.hours_status,
            hours_note=row.hours_note,
            source=row.source_url,
            verified=row.verified,
            position=row.position,
            topic_count=len(topics.get(service_id, [])),
            areas=where,
            contacts=tuple(ContactMethod(*c) for c in contacts.get(service_id, [])),
            periods=tuple(Period(*p) for p in periods.get(service_id, [])),
        )
        for (topic,) in topics.get(service_id, []):
            for area in where:
                by_topic_area.setdefault((topic, area), []).append(service_id)
    return _Index(entries, {key: tuple(ids) for key, ids in by_topic_area.items()})


def _index(session: Session) -> _Index:
    """The in-memory index for the data now in the database (rebuilt after an import).

    One tiny query per search reads the import's version, so a directory replaced by
    another process (``waypoint directory import``) is seen at once.
    """
    version = session.execute(
        select(DirectoryMeta.value).where(DirectoryMeta.key == "version")
    ).scalar_one_or_none()
    key = (str(session.get_bind().url), version or "")
    with _indexes_lock:
        found = _indexes.get(key)
    if found is None:
        found = _build_index(session)
        with _indexes_lock:
            for old in [k for k in _indexes if k[0] == key[0]]:
                del _indexes[old]
            _indexes[key] = found
    return found


def _access_rank(access: str) -> int:
    if access in (SELF_REFERRAL, BOTH):
        return 0
    return 2 if access == PROFESSIONAL else 1


def _availability(entry: _Entry, at: datetime) -> tuple[int, datetime | None]:
    """0 open (or always), 1 hours unknown, 2 closed (with when it next opens)."""
    if entry.hours_status == ALWAYS:
        return 0, None
    if entry.hours_status == UNKNOWN:
        return 1, None
    periods = list(entry.periods)
    if is_open(periods, at):
        return 0, None
    return 2, next_open(periods, at)


def search(
    session: Session,
    topic: str,
    where: Where | str | None = None,
    age: int | None = None,
    *,
    open_now: bool = False,
    at: datetime | None = None,
    professional: bool = False,
    limit: int = 3,
    offset: int = 0,
) -> Page:
    """Services for ``topic`` near ``where``, best first; ``limit`` from ``offset``."""
    if topic not in TOPICS:
        raise UnknownTopic(topic)
    if not isinstance(where, Where):
        where = Where.parse(where)
    at = at or datetime.now(UTC)
    index = _index(session)
    tiers: dict[str, int] = {}
    for tier, place in enumerate((where.area.id if where.area else None, where.region, NATIONAL)):
        if place is None:
            continue
        for service_id in index.by_topic_area.get((topic, place), ()):
            tiers.setdefault(service_id, tier)
    ranked = []
    for service_id, tier in tiers.items():
        entry = index.entries[service_id]
        if age is not None and (
            (entry.min_age is not None and age < entry.min_age)
            or (entry.max_age is not None and age > entry.max_age)
        ):
            continue
        availability, opens_at = _availability(entry, at)
        if open_now and availability != 0:
            continue
        first = 0 if professional else _access_rank(entry.access)
        # Open before closed; among those, specialists (a bereavement line for grief)
        # before services for everything; then the order in the data.
        key = (first, tier, availability, entry.topic_count > 1, entry.position)
        ranked.append((key, entry, tier, opens_at))
    ranked.sort(key=lambda item: item[0])
    results = [
        _result(entry, tier, key[2], opens_at, at)
        for key, entry, tier, opens_at in ranked[offset : offset + limit]
    ]
    return Page(results, len(ranked), offset, where)


def _result(
    entry: _Entry, tier: int, availability: int, opens_at: datetime | None, at: datetime
) -> Result:
    status = OPEN if availability == 0 else CLOSED if availability == 2 else UNKNOWN
    return Result(
        id=entry.id,
        name=entry.name,
        organisation=entry.organisation,
        description=entry.description,
        tier=TIERS[tier],
        areas=entry.areas,
        min_age=entry.min_age,
        max_age=entry.max_age,
        access=entry.access,
        access_note=entry.access_note,
        status=status,
        always_open=entry.hours_status == ALWAYS,
        opens_at=opens_at,
        opens_text=describe_opening(opens_at, at) if opens_at else None,
        hours_note=entry.hours_note,
        contacts=entry.contacts,
        source=entry.source,
        verified=entry.verified,
    )


def age_changes_answer(
    session: Session, topic: str, where: Where, *, professional: bool = False, limit: int = 3
) -> bool:
    """Whether asking someone's age would change the first ``limit`` services they see."""
    at = datetime.now(UTC)

    def ids(age: int | None) -> list[str]:
        page = search(session, topic, where, age, at=at, professional=professional, limit=limit)
        return [result.id for result in page.results]

    without = ids(None)
    return any(ids(age) != without for age in AGES_THAT_MIGHT_MATTER)
