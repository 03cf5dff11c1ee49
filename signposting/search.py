"""Find services: by topic, area (local, then regional, then national), age and open now.

Ranking, best first:
1. for young people and parents, services they can contact themselves come before those
   whose way in isn't known, and those before services that need a professional to refer
   (a frightened 15-year-old at 2am needs a number that answers). For professionals
   (``professional=True``: a youth worker) this step is skipped;
2. local, then regional, then national;
3. open now (or always open), then hours unknown, then closed;
4. the order of the data file (its editors put the most useful first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from signposting import areas as area_lookup
from signposting.hours import ALWAYS, SCHEDULED, UNKNOWN, Period, describe_opening, is_open
from signposting.hours import next_opening as next_open
from signposting.models import (
    BOTH,
    NATIONAL,
    PROFESSIONAL,
    SELF_REFERRAL,
    Contact,
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
class _Candidate:
    id: str
    tier: int
    access: str
    hours_status: str
    position: int
    availability: int = 1
    opens_at: datetime | None = None


def _access_rank(access: str) -> int:
    if access in (SELF_REFERRAL, BOTH):
        return 0
    return 2 if access == PROFESSIONAL else 1


def _candidates(session: Session, topic: str, where: Where, age: int | None) -> list[_Candidate]:
    wanted = [NATIONAL]
    if where.region:
        wanted.append(where.region)
    if where.area:
        wanted.append(where.area.id)
    tier_of_area = case(
        (ServiceArea.area_id == (where.area.id if where.area else ""), 0),
        (ServiceArea.area_id == (where.region or ""), 1),
        else_=2,
    )
    tiers = (
        select(ServiceArea.service_id, func.min(tier_of_area).label("tier"))
        .where(ServiceArea.area_id.in_(wanted))
        .group_by(ServiceArea.service_id)
        .subquery()
    )
    query = (
        select(Service.id, tiers.c.tier, Service.access, Service.hours_status, Service.position)
        .join(tiers, tiers.c.service_id == Service.id)
        .join(
            ServiceTopic,
            and_(ServiceTopic.service_id == Service.id, ServiceTopic.topic == topic),
        )
    )
    if age is not None:
        query = query.where(
            or_(Service.min_age.is_(None), Service.min_age <= age),
            or_(Service.max_age.is_(None), Service.max_age >= age),
        )
    return [_Candidate(*row) for row in session.execute(query)]


def _with_hours(session: Session, found: list[_Candidate], at: datetime) -> list[_Candidate]:
    scheduled = [c.id for c in found if c.hours_status == SCHEDULED]
    periods: dict[str, list[Period]] = {}
    if scheduled:
        rows = session.execute(
            select(
                OpeningPeriod.service_id,
                OpeningPeriod.weekday,
                OpeningPeriod.opens,
                OpeningPeriod.closes,
            ).where(OpeningPeriod.service_id.in_(scheduled))
        )
        for service_id, weekday, opens, closes in rows:
            periods.setdefault(service_id, []).append(Period(weekday, opens, closes))
    out = []
    for cand in found:
        if cand.hours_status == ALWAYS:
            out.append(_replace(cand, availability=0))
        elif cand.hours_status == UNKNOWN:
            out.append(_replace(cand, availability=1))
        elif is_open(periods.get(cand.id, []), at):
            out.append(_replace(cand, availability=0))
        else:
            out.append(
                _replace(cand, availability=2, opens_at=next_open(periods.get(cand.id, []), at))
            )
    return out


def _replace(cand: _Candidate, **changes: object) -> _Candidate:
    return _Candidate(**{**vars(cand), **changes})


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
    found = _with_hours(session, _candidates(session, topic, where, age), at)
    if open_now:
        found = [cand for cand in found if cand.availability == 0]

    def rank(cand: _Candidate) -> tuple[int, ...]:
        first = 0 if professional else _access_rank(cand.access)
        return (first, cand.tier, cand.availability, cand.position)

    found.sort(key=rank)
    chosen = found[offset : offset + limit]
    return Page(_load(session, chosen, at), len(found), offset, where)


def _load(session: Session, chosen: list[_Candidate], at: datetime) -> list[Result]:
    if not chosen:
        return []
    ids = [cand.id for cand in chosen]
    services = {
        service.id: service
        for service in session.execute(select(Service).where(Service.id.in_(ids))).scalars()
    }
    results = []
    for cand in chosen:
        service = services[cand.id]
        org: Organisation | None = service.organisation
        status = OPEN if cand.availability == 0 else CLOSED if cand.availability == 2 else UNKNOWN
        results.append(
            Result(
                id=service.id,
                name=service.name,
                organisation=org.name if org else None,
                description=service.description,
                tier=TIERS[cand.tier],
                areas=tuple(service.area_ids),
                min_age=service.min_age,
                max_age=service.max_age,
                access=service.access,
                access_note=service.access_note,
                status=status,
                always_open=service.hours_status == ALWAYS,
                opens_at=cand.opens_at,
                opens_text=describe_opening(cand.opens_at, at) if cand.opens_at else None,
                hours_note=service.hours_note,
                contacts=tuple(_contact(c) for c in service.contacts),
                source=service.source_url,
                verified=service.verified,
            )
        )
    return results


def _contact(contact: Contact) -> ContactMethod:
    return ContactMethod(contact.type, contact.value, contact.keyword, contact.note)


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
