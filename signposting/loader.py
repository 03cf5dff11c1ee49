"""Read, check and import a directory file (YAML), all or nothing.

``validate(path)`` returns every problem as ``FILE:LINE: field: problem``; ``import_file``
refuses a file with any problem and otherwise replaces the directory in one transaction.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from sqlalchemy import delete
from sqlalchemy.orm import Session

from signposting import areas as area_lookup
from signposting.hours import ALWAYS, SCHEDULED, UNKNOWN, periods_for
from signposting.models import (
    ACCESS,
    CONTACT_TYPES,
    NATIONAL,
    Contact,
    DirectoryMeta,
    OpeningPeriod,
    Organisation,
    Service,
    ServiceArea,
    ServiceLanguage,
    ServiceTopic,
)
from signposting.topics import TOPICS

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
_PHONE_CHARS = re.compile(r"[\s()-]")
# UK numbers people can call: emergency/non-emergency/NHS, 116 xxx helplines, 0 + 9-10 digits.
_PHONE = re.compile(r"^(999|101|111|116\d{3}|0\d{9,10}|0800\d{4})$")
_SHORT_CODE = re.compile(r"^(\d{5}|116\d{3}|07\d{9})$")
_KEYWORD = re.compile(r"^[A-Z0-9]{1,20}$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
REQUIRED = ("id", "name", "description", "topics", "areas", "access", "hours", "source")


@dataclass
class Problem:
    """One thing wrong with a file, at a line."""

    line: int
    field: str
    problem: str

    def format(self, path: str) -> str:
        return f"{path}:{self.line}: {self.field}: {self.problem}"


@dataclass
class Checked:
    """A parsed file: its services as model objects (if valid), and what is wrong with it."""

    organisations: list[Organisation] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _line(node: Any, key: str | int | None = None) -> int:
    """1-based line of ``node[key]`` (or of the node itself) in the YAML file."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return 1
    try:
        if key is not None:
            return (lc.key(key) if isinstance(key, str) else lc.item(key))[0] + 1
    except (KeyError, IndexError, TypeError):
        pass
    return lc.line + 1


def normalise_phone(value: str) -> str:
    """Digits only ("0800 1111" -> "08001111"), as stored for comparison."""
    return _PHONE_CHARS.sub("", value)


class _Checker:
    def __init__(self) -> None:
        self.result = Checked()

    def problem(self, line: int, name: str, text: str) -> None:
        self.result.problems.append(Problem(line, name, text))

    def check(self, document: Any) -> Checked:
        if not isinstance(document, dict) or not isinstance(document.get("services"), list):
            self.problem(1, "services", "the file needs a 'services:' list")
            return self.result
        org_ids = self._organisations(document.get("organisations") or [])
        seen: dict[str, int] = {}
        for index, entry in enumerate(document["services"]):
            line = _line(document["services"], index)
            if not isinstance(entry, dict):
                self.problem(line, f"services[{index}]", "each service must be a mapping")
                continue
            service = self._service(entry, line, org_ids, index)
            if service is None:
                continue
            if service.id in seen:
                self.problem(
                    _line(entry, "id"),
                    "id",
                    f"duplicate id {service.id!r} (first at line " f"{seen[service.id]})",
                )
                continue
            seen[service.id] = _line(entry, "id")
            self.result.services.append(service)
        return self.result

    def _organisations(self, entries: Any) -> set[str]:
        ids: set[str] = set()
        for index, entry in enumerate(entries):
            line = _line(entries, index)
            if not isinstance(entry, dict) or not entry.get("id") or not entry.get("name"):
                self.problem(line, "organisations", "each organisation needs an id and a name")
                continue
            org_id = str(entry["id"])
            if org_id in ids:
                self.problem(_line(entry, "id"), "organisations.id", f"duplicate id {org_id!r}")
                continue
            url = entry.get("url")
            if url and not _URL.match(str(url)):
                self.problem(_line(entry, "url"), "organisations.url", f"{url!r} is not a URL")
            ids.add(org_id)
            self.result.organisations.append(
                Organisation(id=org_id, name=str(entry["name"]), url=url)
            )
        return ids

    def _service(
        self, entry: dict[str, Any], line: int, org_ids: set[str], index: int
    ) -> Service | None:
        before = len(self.result.problems)
        for key in REQUIRED:
            if entry.get(key) in (None, "", []):
                self.problem(line, key, "missing")
        service_id = str(entry.get("id") or f"services[{index}]")
        if entry.get("id") and not _ID.match(service_id):
            self.problem(_line(entry, "id"), "id", f"{service_id!r}: use a-z, 0-9, - and _")
        org = entry.get("organisation")
        if org and str(org) not in org_ids:
            self.problem(_line(entry, "organisation"), "organisation", f"unknown {org!r}")

        topics = entry.get("topics") or []
        for i, topic in enumerate(topics):
            if topic not in TOPICS:
                self.problem(
                    _line(topics, i),
                    "topics",
                    f"unknown topic {topic!r} (known: " f"{', '.join(TOPICS)})",
                )

        area_ids = [str(a) for a in entry.get("areas") or []]
        for i, area_id in enumerate(area_ids):
            known = (
                area_id == NATIONAL
                or area_id in area_lookup.REGIONS
                or area_lookup.get_area(area_id) is not None
            )
            if not known:
                self.problem(_line(entry["areas"], i), "areas", f"unknown area {area_id!r}")
        if NATIONAL in area_ids and len(area_ids) > 1:
            self.problem(_line(entry, "areas"), "areas", "'national' can't be mixed with areas")

        ages: dict[str, int | None] = {}
        for key in ("min_age", "max_age"):
            value = entry.get(key)
            if value is None:
                ages[key] = None
            elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 120:
                self.problem(_line(entry, key), key, f"{value!r} is not an age (0-120)")
                ages[key] = None
            else:
                ages[key] = value
        low, high = ages["min_age"], ages["max_age"]
        if low is not None and high is not None and low > high:
            self.problem(
                _line(entry, "min_age"),
                "min_age",
                f"minimum age {low} is above maximum age {high}",
            )

        access = entry.get("access")
        if access and access not in ACCESS:
            self.problem(_line(entry, "access"), "access", f"{access!r}: use {', '.join(ACCESS)}")

        contacts = self._contacts(entry.get("contacts") or [])
        hours_status, schedule = self._hours(entry)

        verified = entry.get("verified")
        if isinstance(verified, datetime):
            verified = verified.date()
        if not isinstance(verified, date):
            self.problem(
                _line(entry, "verified") if "verified" in entry else line,
                "verified",
                "missing or not a date like 2026-11-22",
            )
            verified = None
        elif verified > date.today():
            self.problem(_line(entry, "verified"), "verified", f"{verified} is in the future")

        source = entry.get("source")
        if isinstance(source, str) and source.startswith("http") and not _URL.match(source):
            self.problem(_line(entry, "source"), "source", f"{source!r} is not a URL")

        if len(self.result.problems) > before:
            return None
        scope = (
            "national"
            if area_ids == [NATIONAL]
            else "regional"
            if all(a in area_lookup.REGIONS for a in area_ids)
            else "local"
        )
        return Service(
            id=service_id,
            organisation_id=str(org) if org else None,
            name=str(entry["name"]),
            description=str(entry["description"]).strip(),
            min_age=ages["min_age"],
            max_age=ages["max_age"],
            access=access,
            access_note=entry.get("access_note"),
            hours_status=hours_status,
            hours_note=entry.get("hours_note"),
            source_url=str(source),
            source_note=entry.get("source_note"),
            verified=verified,
            scope=scope,
            position=index,
            areas=[ServiceArea(area_id=a) for a in dict.fromkeys(area_ids)],
            topics=[ServiceTopic(topic=t) for t in dict.fromkeys(topics)],
            contacts=contacts,
            schedule=schedule,
            languages=[
                ServiceLanguage(language=str(lang))
                for lang in dict.fromkeys(entry.get("languages") or [])
            ],
        )

    def _contacts(self, entries: Any) -> list[Contact]:
        contacts: list[Contact] = []
        for i, contact in enumerate(entries):
            line = _line(entries, i)
            name = f"contacts[{i}]"
            if not isinstance(contact, dict):
                self.problem(line, name, "each contact must be a mapping")
                continue
            kind, value = contact.get("type"), str(contact.get("value") or "").strip()
            if kind not in CONTACT_TYPES:
                self.problem(line, f"{name}.type", f"{kind!r}: use {', '.join(CONTACT_TYPES)}")
                continue
            vline = _line(contact, "value")
            if not value:
                self.problem(line, f"{name}.value", "missing")
                continue
            keyword = contact.get("keyword")
            if kind == "phone" and not _PHONE.match(normalise_phone(value)):
                self.problem(vline, f"{name}.value", f"{value!r} is not a UK phone number")
            elif kind == "text":
                if not _SHORT_CODE.match(normalise_phone(value)):
                    self.problem(vline, f"{name}.value", f"{value!r} is not a text number")
                if keyword is not None and not _KEYWORD.match(str(keyword)):
                    self.problem(
                        _line(contact, "keyword"),
                        f"{name}.keyword",
                        f"{keyword!r}: use capital letters and digits",
                    )
            elif kind in {"website", "web_chat"} and not _URL.match(value):
                self.problem(vline, f"{name}.value", f"{value!r} is not a web address")
            elif kind == "email" and not _EMAIL.match(value):
                self.problem(vline, f"{name}.value", f"{value!r} is not an email address")
            if keyword is not None and kind != "text":
                self.problem(_line(contact, "keyword"), f"{name}.keyword", "only texts have one")
            contacts.append(
                Contact(
                    position=i,
                    type=kind,
                    value=value,
                    keyword=str(keyword) if keyword is not None else None,
                    note=contact.get("note"),
                )
            )
        return contacts

    def _hours(self, entry: dict[str, Any]) -> tuple[str, list[OpeningPeriod]]:
        hours = entry.get("hours")
        if hours in (ALWAYS, UNKNOWN):
            return str(hours), []
        if hours is None:
            return UNKNOWN, []  # reported as missing above
        if not isinstance(hours, list) or not hours:
            self.problem(
                _line(entry, "hours"),
                "hours",
                f"{hours!r}: use 'always', 'unknown' or a list of days/open/close",
            )
            return UNKNOWN, []
        periods: list[OpeningPeriod] = []
        taken: dict[int, list[tuple[int, int]]] = {}
        for i, row in enumerate(hours):
            line = _line(hours, i)
            if not isinstance(row, dict) or not {"days", "open", "close"} <= set(row):
                self.problem(line, f"hours[{i}]", "needs days, open and close")
                continue
            try:
                found = periods_for(str(row["days"]), str(row["open"]), str(row["close"]))
            except ValueError as error:
                self.problem(line, f"hours[{i}]", f"impossible hours: {error}")
                continue
            for period in found:
                for opens, closes in taken.get(period.weekday, []):
                    if period.opens < closes and opens < period.closes:
                        self.problem(
                            line, f"hours[{i}]", "impossible hours: overlaps another line"
                        )
                        break
                taken.setdefault(period.weekday, []).append((period.opens, period.closes))
                periods.append(OpeningPeriod(**vars(period)))
        return SCHEDULED, periods


def read_yaml(path: Path) -> tuple[Any, list[Problem]]:
    """The YAML document (with line numbers), or a problem if it can't be parsed."""
    try:
        return YAML(typ="rt").load(path.read_text(encoding="utf-8")), []
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        return None, [Problem(line, "yaml", str(getattr(error, "problem", error)))]
    except OSError as error:
        return None, [Problem(1, "file", error.strerror or str(error))]


def check_file(path: Path) -> Checked:
    """Parse and check a directory file; ``problems`` lists everything wrong with it."""
    document, problems = read_yaml(path)
    if problems:
        return Checked(problems=problems)
    return _Checker().check(document)


def validate(path: Path) -> list[str]:
    """Every problem in the file as ``FILE:LINE: field: problem`` (empty when valid)."""
    return [problem.format(str(path)) for problem in check_file(path).problems]


def file_hash(path: Path) -> str:
    """SHA-256 of the file's bytes, to know whether the loaded data is current."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def replace_directory(session: Session, checked: Checked, data_hash: str, origin: str) -> None:
    """Delete everything and insert ``checked`` (the caller owns the transaction)."""
    for table in (
        OpeningPeriod, Contact, ServiceLanguage, ServiceTopic, ServiceArea, Service,
        Organisation, DirectoryMeta,
    ):  # fmt: skip
        session.execute(delete(table))
    session.add_all(checked.organisations)
    session.flush()
    session.add_all(checked.services)
    session.add(DirectoryMeta(key="data_hash", value=data_hash))
    session.add(DirectoryMeta(key="origin", value=origin))
    # A new value on every import, so every process's search index knows to rebuild.
    session.add(DirectoryMeta(key="version", value=uuid.uuid4().hex))
