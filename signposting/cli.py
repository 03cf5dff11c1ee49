"""``waypoint directory search|validate|import|export``."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from signposting.hours import ALWAYS, DAY_NAMES, SCHEDULED
from signposting.loader import validate
from signposting.models import Organisation, Service
from signposting.search import Result, UnknownTopic, Where, search
from signposting.topics import TOPICS


def _say(*parts: object, file: Any = None) -> None:
    """print(), without tripping the no-print lint rule meant for library code."""
    (file or sys.stdout).write(" ".join(str(part) for part in parts) + "\n")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="waypoint directory")
    commands = parser.add_subparsers(dest="command", required=True)
    find = commands.add_parser("search", help="find services")
    find.add_argument("--topic", required=True, choices=list(TOPICS))
    find.add_argument("--area", help="area id, borough, town, postcode district or region")
    find.add_argument("--age", type=int)
    find.add_argument("--open-now", action="store_true")
    find.add_argument("--professional", action="store_true", help="rank as for a youth worker")
    find.add_argument("--limit", type=int, default=10)
    find.add_argument("--at", help="ISO time to search at (default now), e.g. 2026-11-23T02:00Z")
    find.add_argument("--json", action="store_true")
    check = commands.add_parser("validate", help="check a directory file; nothing is imported")
    check.add_argument("file", type=Path)
    load = commands.add_parser("import", help="replace the directory with a file (all or none)")
    load.add_argument("file", type=Path)
    commands.add_parser("export", help="print the directory as YAML")
    return parser


def main(argv: list[str]) -> int:
    """Run a directory subcommand; return its exit code."""
    args = _parser().parse_args(argv)
    if args.command == "validate":
        problems = validate(args.file)
        for line in problems:
            _say(line, file=sys.stderr)
        if not problems:
            _say(f"{args.file}: valid")
        return 1 if problems else 0
    from signposting.db import Directory, InvalidDirectoryFile, default_directory

    if args.command == "import":
        try:
            count = Directory().import_file(args.file)
        except InvalidDirectoryFile as error:
            for line in error.problems:
                _say(line, file=sys.stderr)
            _say(f"nothing imported: {len(error.problems)} problem(s)", file=sys.stderr)
            return 1
        _say(f"imported {count} services from {args.file}")
        return 0
    directory = default_directory()
    if args.command == "export":
        with directory.read() as session:
            sys.stdout.write(export_yaml(session))
        return 0
    return _search(directory, args)


def _search(directory: Any, args: argparse.Namespace) -> int:
    at = datetime.fromisoformat(args.at.replace("Z", "+00:00")) if args.at else None
    if at is not None and at.tzinfo is None:
        _say("--at needs a timezone, e.g. 2026-11-23T02:00Z", file=sys.stderr)
        return 2
    where = Where.parse(args.area)
    if args.area and not where.known:
        _say(f"unknown area {args.area!r}: showing national services", file=sys.stderr)
    with directory.read() as session:
        try:
            page = search(
                session,
                args.topic,
                where,
                args.age,
                open_now=args.open_now,
                at=at,
                professional=args.professional,
                limit=args.limit,
            )
        except UnknownTopic as error:
            _say(f"unknown topic {error}", file=sys.stderr)
            return 2
    if args.json:
        _say(json.dumps({
            "area": where.area.id if where.area else None,
            "region": where.region,
            "total": page.total,
            "results": [result.as_dict() for result in page.results],
        }, indent=2))  # fmt: skip
        return 0
    place = where.area.name if where.area else where.region or "anywhere (national only)"
    _say(f"{page.total} service(s) for {args.topic!r} in {place}")
    for number, result in enumerate(page.results, 1):
        _say(f"\n{number}. {result.name} [{result.tier}, {_status(result)}]")
        _say(f"   {result.description}")
        for contact in result.contacts:
            keyword = f"{contact.keyword} to " if contact.keyword else ""
            _say(f"   {contact.type}: {keyword}{contact.value}")
        if result.access_note:
            _say(f"   how to get in: {result.access_note}")
        _say(f"   source: {result.source} (checked {result.verified})")
    return 0


def _status(result: Result) -> str:
    if result.always_open:
        return "open 24/7"
    if result.status == "closed":
        return f"closed, opens {result.opens_text}"
    return "open now" if result.status == "open" else "hours unknown"


def export_yaml(session: Any) -> str:
    """The directory as a YAML file that ``waypoint directory import`` reads back."""
    from io import StringIO

    from ruamel.yaml import YAML

    organisations = [
        {"id": o.id, "name": o.name, **({"url": o.url} if o.url else {})}
        for o in session.execute(select(Organisation).order_by(Organisation.id)).scalars()
    ]
    services = []
    for service in session.execute(select(Service).order_by(Service.position)).scalars():
        entry: dict[str, Any] = {"id": service.id}
        if service.organisation_id:
            entry["organisation"] = service.organisation_id
        entry.update(name=service.name, description=service.description)
        entry["topics"] = service.topic_names
        entry["areas"] = service.area_ids
        for key in ("min_age", "max_age"):
            if getattr(service, key) is not None:
                entry[key] = getattr(service, key)
        entry["access"] = service.access
        if service.access_note:
            entry["access_note"] = service.access_note
        contacts = []
        for contact in service.contacts:
            row = {"type": contact.type, "value": contact.value}
            if contact.keyword:
                row["keyword"] = contact.keyword
            if contact.note:
                row["note"] = contact.note
            contacts.append(row)
        if contacts:
            entry["contacts"] = contacts
        entry["hours"] = (
            _hours_rows(service)
            if service.hours_status == SCHEDULED
            else (ALWAYS if service.hours_status == ALWAYS else "unknown")
        )
        if service.hours_note:
            entry["hours_note"] = service.hours_note
        if service.languages:
            entry["languages"] = sorted(lang.language for lang in service.languages)
        entry["source"] = service.source_url
        if service.source_note:
            entry["source_note"] = service.source_note
        entry["verified"] = service.verified
        services.append(entry)
    out = StringIO()
    yaml = YAML()
    yaml.default_flow_style = False
    yaml.dump({"organisations": organisations, "services": services}, out)
    return out.getvalue()


def _hours_rows(service: Service) -> list[dict[str, str]]:
    rows = []
    for period in sorted(service.schedule, key=lambda p: (p.weekday, p.opens)):
        closes = period.closes % (24 * 60) if period.closes > 24 * 60 else period.closes
        rows.append({
            "days": DAY_NAMES[period.weekday],
            "open": f"{period.opens // 60:02d}:{period.opens % 60:02d}",
            "close": f"{closes // 60:02d}:{closes % 60:02d}",
        })  # fmt: skip
    return rows
