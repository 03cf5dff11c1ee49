"""Server-rendered HTML for the console. Everything user-supplied goes through ``esc``."""

from __future__ import annotations

from datetime import datetime
from html import escape as esc
from zoneinfo import ZoneInfo

from bot.navigator.messages import OUTCOMES
from bot.navigator.models import CLAIMED, HANDED_BACK, WAITING
from bot.navigator.records import EscalationRecord, EventRecord, NavigatorRecord
from bot.navigator.transcript import NAVIGATOR, STATUS, USER, Line

LONDON = ZoneInfo("Europe/London")
LEVEL_LABELS = {"immediate": "Immediate danger", "high": "High", "medium": "Medium"}
STATUS_LABELS = {
    WAITING: "Waiting for a navigator",
    CLAIMED: "A navigator is in the chat",
    HANDED_BACK: "Back with the bot (still open)",
    "closed": "Closed",
}
EVENT_LABELS = {
    "created": "raised",
    "raised": "level went up to",
    "repeated": "more risk words",
    "claimed": "taken over",
    "released": "take-over undone (bot server unreachable)",
    "replied": "navigator replied",
    "handed_back": "handed back to the bot",
    "closed": "closed:",
    "erased": "erased at the young person's request",
}
NOTICES = {
    "rasa": "Couldn't reach the bot server, so nothing was sent. Try again.",
    "not_delivered": (
        "Not delivered: the young person has stopped messages on Telegram (/stop), or "
        "the chat is closed. Nothing reaches them until they write again; your reply was "
        "not sent or saved."
    ),
    "taken": "Another navigator is already with this young person.",
    "state": "That can't be done now: the escalation has changed. This page shows where it is.",
    "empty": "Write a message first.",
    "outcome": "Choose an outcome before closing.",
    "not_yours": "Only the navigator who took over can reply. Hand back, then take over.",
    "login": "That username and password don't match.",
    "slow": "Too many attempts. Wait a few minutes, then try again.",
}


def local_time(when: datetime | None, fmt: str = "%H:%M") -> str:
    return when.astimezone(LONDON).strftime(fmt) if when else ""


def page(
    title: str, body: str, *, navigator: NavigatorRecord | None = None, csrf: str = ""
) -> str:
    """The common page frame; scripts and styles come only from this server."""
    who = ""
    if navigator is not None:
        who = (
            f"<span>Signed in as {esc(navigator.display_name)}</span>"
            f'<form method="post" action="/logout">{csrf_field(csrf)}'
            '<button type="submit">Log out</button></form>'
        )
    return (
        '<!doctype html><html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)} · Waypoint navigators</title>"
        '<link rel="stylesheet" href="/static/console.css">'
        '<script src="/static/console.js" defer></script></head><body>'
        f'<header><a href="/" class="brand">Waypoint navigators</a>{who}</header>'
        f"<main>{body}</main></body></html>"
    )


def csrf_field(token: str) -> str:
    return f'<input type="hidden" name="csrf" value="{esc(token)}">'


def notice(code: str | None) -> str:
    text = NOTICES.get(code or "")
    return f'<p class="notice" role="alert">{esc(text)}</p>' if text else ""


def login_page(csrf: str, error: str | None = None) -> str:
    body = (
        f"<h1>Sign in</h1>{notice(error)}"
        f'<form method="post" action="/login" class="login">{csrf_field(csrf)}'
        '<label>Username <input name="username" autocomplete="username" required></label>'
        '<label>Password <input name="password" type="password" '
        'autocomplete="current-password" required></label>'
        '<button type="submit">Sign in</button></form>'
    )
    return page("Sign in", body)


def queue_rows(rows: list[EscalationRecord], names: dict[int, str]) -> str:
    """The queue itself; also pushed as-is over server-sent events."""
    if not rows:
        return '<p class="empty">No open escalations.</p>'
    items = []
    for row in rows:
        # The latest words first: a conversation's card is raised by what was said last
        # ("he's at the door now"), and its first words may be what was only medium.
        latest = row.triggers[-1] if row.triggers else ""
        words = latest if len(latest) <= 140 else latest[:139] + "…"
        earlier = len(row.triggers) - 1
        more = f'<span class="more">and {earlier} earlier</span>' if earlier > 0 else ""
        status = STATUS_LABELS.get(row.status, row.status)
        if row.status == CLAIMED and row.navigator_id in names:
            status = f"{names[row.navigator_id]} is in the chat"
        items.append(
            f'<li><a class="card level-{esc(row.level)}" href="/escalations/{row.id}">'
            f'<span class="level">{esc(LEVEL_LABELS.get(row.level, row.level))}</span>'
            f'<span class="status">{esc(status)}</span>'
            f'<span class="waited" data-since="{row.created_at.isoformat()}">'
            f'since {local_time(row.created_at)}</span>'
            f'<span class="channel">{esc(row.channel)}</span>'
            f'<span class="cats">{esc(", ".join(row.categories))}</span>'
            f'<q class="words">{esc(words)}</q>{more}</a></li>'
        )
    return '<ol class="queue">' + "".join(items) + "</ol>"


def queue_page(
    *,
    navigator: NavigatorRecord,
    csrf: str,
    rows_html: str,
    available: bool,
    hours_lines: list[str],
    hours_now: str,
) -> str:
    toggle = "0" if navigator.online else "1"
    label = "Go offline" if navigator.online else "Go online"
    state = "online" if navigator.online else "offline"
    body = (
        '<section class="me">'
        f'<p>You are <strong class="{state}">{state}</strong>.</p>'
        f'<form method="post" action="/status">{csrf_field(csrf)}'
        f'<input type="hidden" name="online" value="{toggle}">'
        f'<button type="submit">{label}</button></form>'
        f'<p>Young people are told a navigator is available: '
        f'<strong id="availability">{"yes" if available else "no"}</strong></p>'
        f'<p>Hours: {esc("; ".join(hours_lines) or "none set")}. {esc(hours_now)}</p>'
        "</section><h1>Queue</h1>"
        f'<div id="queue" aria-live="polite">{rows_html}</div>'
    )
    return page("Queue", body, navigator=navigator, csrf=csrf)


def why_summary(evidence: tuple[str, ...]) -> str:
    """One line on where a risk level came from: matched words, the model, or both."""
    model = any(e.startswith("model:") for e in evidence)
    words = any(not e.startswith("model:") for e in evidence)
    if model and words:
        return "Why: risk words, raised by the model's guess"
    if model:
        return "Why: the model's guess only (no risk words matched): read closely"
    return "Why: risk words matched"


def transcript_html(lines: list[Line]) -> str:
    if not lines:
        return '<p class="empty">No messages yet.</p>'
    items = []
    for line in lines:
        at = f"<time>{local_time(line.at)}</time>"
        if line.kind == STATUS:
            items.append(f'<li class="status">{at} {esc(line.text)}</li>')
            continue
        if line.kind == USER:
            who = "Young person"
            if line.risk:
                cats = f" ({', '.join(line.categories)})" if line.categories else ""
                label = esc(f"risk: {line.risk}{cats}")
                who += f' <span class="risk risk-{esc(line.risk)}">{label}</span>'
        elif line.kind == NAVIGATOR:
            who = f"{esc(line.navigator or 'Navigator')} <em>(navigator, a person)</em>"
        else:
            who = "Bot"
        why = ""
        if line.kind == USER and line.risk in ("medium", "high", "immediate") and line.why:
            # A navigator should see whether the words matched the lexicon or the
            # learned model guessed: a guess deserves a closer read.
            why = "".join(f"<li>{esc(e)}</li>" for e in line.why)
            summary = esc(why_summary(line.why))
            why = f'<details class="why"><summary>{summary}</summary><ul>{why}</ul></details>'
        buttons = "".join(f"<li>{esc(b)}</li>" for b in line.buttons)
        buttons = f'<ul class="buttons">{buttons}</ul>' if buttons else ""
        items.append(
            f'<li class="{line.kind}"><span class="who">{who}</span> {at}'
            f"<p>{esc(line.text)}</p>{why}{buttons}</li>"
        )
    return '<ol class="transcript">' + "".join(items) + "</ol>"


def controls(row: EscalationRecord, me: NavigatorRecord, csrf: str, claimer: str | None) -> str:
    base = f"/escalations/{row.id}"
    out = []
    if row.status in (WAITING, HANDED_BACK):
        out.append(
            f'<form method="post" action="{base}/take-over">{csrf_field(csrf)}'
            '<button type="submit" class="primary">Take over</button>'
            f' <small>They will see: "{esc(me.display_name)}, a youth worker, has joined'
            ' the chat."</small></form>'
        )
    if row.status == CLAIMED and row.navigator_id == me.id:
        out.append(
            f'<form method="post" action="{base}/reply" class="reply">{csrf_field(csrf)}'
            '<label for="reply-text">Your message</label>'
            '<textarea id="reply-text" name="text" rows="3" maxlength="2000" required>'
            '</textarea><button type="submit" class="primary">Send</button></form>'
        )
    if row.status == CLAIMED:
        whose = "" if row.navigator_id == me.id else f" for {esc(claimer or 'them')}"
        out.append(
            f'<form method="post" action="{base}/hand-back">{csrf_field(csrf)}'
            f'<button type="submit">Hand back to the bot{whose}</button></form>'
        )
    if row.is_open:
        options = "".join(
            f'<option value="{esc(code)}">{esc(label)}</option>'
            for code, label in OUTCOMES.items()
        )
        warn = " (this hands back to the bot first)" if row.status == CLAIMED else ""
        out.append(
            f'<form method="post" action="{base}/close" class="close">{csrf_field(csrf)}'
            f'<label>Outcome <select name="outcome" required><option value="">Choose…</option>'
            f'{options}</select></label><label>Notes <textarea name="notes" rows="2">'
            f'</textarea></label><button type="submit">Close{esc(warn)}</button></form>'
        )
    return "".join(out)


def escalation_page(
    *,
    row: EscalationRecord,
    me: NavigatorRecord,
    csrf: str,
    claimer: str | None,
    live_html: str,
    history: list[EventRecord],
    error: str | None,
) -> str:
    words = "".join(f"<li><q>{esc(w)}</q></li>" for w in row.triggers)
    status = STATUS_LABELS.get(row.status, row.status)
    if row.status == CLAIMED and claimer:
        status = f"{claimer} is in the chat"
    facts = [
        ("Level", LEVEL_LABELS.get(row.level, row.level)),
        ("Categories", ", ".join(row.categories) or "—"),
        ("Status", status),
        ("Channel", row.channel),
        ("Area", row.area or "—"),
        ("Place", row.venue or "—"),
        ("Raised", local_time(row.created_at, "%a %d %b %H:%M")),
    ]
    if row.outcome:
        facts.append(("Outcome", OUTCOMES.get(row.outcome, row.outcome)))
    dl = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts)
    trail = "".join(
        f"<li>{local_time(e.at, '%d %b %H:%M')} {esc(EVENT_LABELS.get(e.event, e.event))} "
        f"{esc(OUTCOMES.get(e.detail, e.detail))}</li>"
        for e in history
    )
    body = (
        f'<p><a href="/">← Queue</a></p><h1 class="level-{esc(row.level)}">'
        f"Escalation {row.id}</h1>{notice(error)}"
        f'<div class="escalation"><aside><dl>{dl}</dl><h2>What they said</h2><ul>{words}</ul>'
        f"{controls(row, me, csrf, claimer)}"
        f'<h2>History</h2><ol class="history">{trail}</ol></aside>'
        f'<section id="live" data-escalation="{row.id}" data-status="{esc(row.status)}" '
        f'aria-live="polite">{live_html}</section></div>'
    )
    return page(f"Escalation {row.id}", body, navigator=me, csrf=csrf)
