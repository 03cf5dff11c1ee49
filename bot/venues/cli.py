"""``waypoint venue add|list|poster|counts``: venue codes and QR posters for youth workers."""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

from bot.venues.store import VenueStore, default_store

USAGE_HINT = "waypoint venue poster {code}"


def _cmd_add(args: argparse.Namespace, store: VenueStore) -> int:
    from signposting.areas import resolve_area

    area = resolve_area(args.area)
    if area is None:
        print(
            f"waypoint venue: no local authority area matches {args.area!r}. Try the "
            "council's name (e.g. Hillingdon) or a postcode district (e.g. UB8).",
            file=sys.stderr,
        )
        return 2
    venue = store.add(args.name, area.id)
    print(f"{venue.code}  {venue.name}  ({area.name})")
    print(f"Print its poster with: {USAGE_HINT.format(code=venue.code)}")
    return 0


def _cmd_list(_: argparse.Namespace, store: VenueStore) -> int:
    venues = store.all()
    if not venues:
        print("No venues yet. Add one with: waypoint venue add NAME --area AREA")
    for venue in venues:
        print(f"{venue.code}  {venue.area:<24} {venue.created}  {venue.name}")
    return 0


def _cmd_poster(args: argparse.Namespace, store: VenueStore) -> int:
    from bot.venues.codes import normalise
    from bot.venues.poster import PosterConfigError, links_for, write_poster

    code = normalise(args.code)
    venue = store.get(code) if code else None
    if venue is None:
        print(
            f"waypoint venue: no venue has the code {args.code!r} (see: waypoint venue list)",
            file=sys.stderr,
        )
        return 2
    try:
        links = links_for(venue.code)
    except PosterConfigError as error:
        print(f"waypoint venue poster: {error}", file=sys.stderr)
        return 2
    pdf, png = write_poster(venue.code, Path(args.out), links)
    print(f"Poster for {venue.name}:\n  {pdf}\n  {png}")
    print(f"Telegram: {links.telegram}\nWeb chat: {links.web}")
    return 0


def _cmd_counts(args: argparse.Namespace, store: VenueStore) -> int:
    since = date.today() - timedelta(days=args.days - 1)
    names = {venue.code: venue.name for venue in store.all()}
    rows = store.daily_counts(since=since)
    if not rows:
        print(f"No chats started from a venue in the last {args.days} days.")
    for code, day, conversations in rows:
        print(f"{day}  {code}  {conversations:>5}  {names.get(code, '')}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="waypoint venue", description="Venue codes and QR posters for youth workers."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="create a venue code")
    add.add_argument("name", help="the place, e.g. 'Yiewsley youth centre'")
    add.add_argument("--area", required=True, help="council area or postcode district")
    add.set_defaults(func=_cmd_add)
    sub.add_parser("list", help="list venue codes").set_defaults(func=_cmd_list)
    poster = sub.add_parser("poster", help="write an A4 poster (PDF and PNG) for a venue")
    poster.add_argument("code")
    poster.add_argument("--out", default=".", help="folder to write into (default: here)")
    poster.set_defaults(func=_cmd_poster)
    counts = sub.add_parser("counts", help="chats started per venue per day")
    counts.add_argument("--days", type=int, default=14)
    counts.set_defaults(func=_cmd_counts)
    return parser


def main(argv: list[str] | None = None, store: VenueStore | None = None) -> int:
    """Run ``waypoint venue ...`` and return its exit code."""
    args = build_parser().parse_args(argv)
    return int(args.func(args, store or default_store()))
