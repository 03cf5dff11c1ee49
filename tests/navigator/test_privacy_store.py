"""Privacy in the escalation store: redaction, retention, "forget me" (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from bot.navigator.models import utcnow
from bot.navigator.store import EscalationStore
from bot.privacy.erase import delete_events, erase_everything
from bot.telegram.chat_ids import ChatIds
from tests.navigator.test_store import escalate, navigator, venue_code


def test_words_and_notes_are_stored_redacted(store: EscalationStore) -> None:
    escalation_id = escalate(
        store, trigger_text="text me 07700 900123 or snap jay_12, I'm at 12 Acacia Road"
    )
    row = store.get(escalation_id)
    assert row is not None
    assert row.trigger_text == "text me [phone number] or snap [handle], I'm at [address]"
    closed = store.close(
        escalation_id=escalation_id, outcome="signposted", notes="rang mum on 07700 900456"
    )
    assert closed.notes == "rang mum on [phone number]"


def test_closed_escalations_lose_their_words_after_retention(store: EscalationStore) -> None:
    sam = navigator(store)
    old = escalate(store, conversation="wp-old", area="Hillingdon", venue=venue_code(store))
    store.close(escalation_id=old, outcome="signposted", notes="went well", navigator_id=sam)
    recent = escalate(store, conversation="wp-recent")
    store.close(escalation_id=recent, outcome="signposted", navigator_id=sam)
    still_open = escalate(store, conversation="wp-open")
    with store.db.write() as session:  # closed 91 days ago
        session.execute(
            sa.text("UPDATE escalations SET closed_at = :at WHERE id = :id"),
            {"at": (utcnow() - timedelta(days=91)).replace(tzinfo=None), "id": old},
        )

    assert store.expire_closed(closed_before=utcnow() - timedelta(days=90)) == 1
    assert store.expire_closed(closed_before=utcnow() - timedelta(days=90)) == 0  # once

    expired = store.get(old)
    assert expired is not None
    assert expired.conversation_id == f"expired-{old}"
    assert (expired.trigger_text, expired.notes, expired.area, expired.venue) == (
        "",
        "",
        None,
        None,
    )
    # What stays is the anonymous fact that it happened
    assert (expired.level, expired.categories, expired.outcome) == (
        "high",
        ("threat",),
        "signposted",
    )
    assert [event.event for event in store.history(old)][-1] == "expired"
    kept = store.get(recent)
    assert kept is not None and kept.trigger_text
    assert store.get(still_open) is not None and store.get(still_open).status == "waiting"


def test_forget_me_erases_everything_but_an_anonymous_row(
    store: EscalationStore, db_url: str
) -> None:
    tracker = sa.create_engine(db_url, future=True)
    events = sa.Table(
        "events",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(255)),
        sa.Column("data", sa.Text),
    )
    events.create(tracker)
    with tracker.begin() as connection:
        connection.execute(
            events.insert(),
            [
                {"sender_id": "wp-me", "data": "they said they'd get me"},
                {"sender_id": "wp-me", "data": "Are you safe right now?"},
                {"sender_id": "wp-someone-else", "data": "hi"},
            ],
        )
    chats = ChatIds(db_url, b"a server secret for the test")
    chats.remember("wp-me", 123456789)
    chats.remember("wp-someone-else", 987654321)
    mine = escalate(store, conversation="wp-me", area="Islington")
    theirs = escalate(store, conversation="wp-someone-else")

    def delete(sender_id: str) -> int:
        return delete_events(tracker, sender_id)

    erased = erase_everything("wp-me", store=store, delete_conversation=delete)

    assert (erased.events, erased.escalations, erased.chat_links) == (2, 1, 1)
    with tracker.connect() as connection:
        left = list(connection.execute(sa.select(events.c.sender_id)).scalars())
    assert left == ["wp-someone-else"]
    fresh = ChatIds(db_url, b"a server secret for the test")  # the bridge after a restart
    assert fresh.lookup("wp-me") is None and fresh.lookup("wp-someone-else") == 987654321
    audit = store.get(mine)
    assert audit is not None and audit.conversation_id == f"erased-{mine}"
    assert (audit.trigger_text, audit.area, audit.status, audit.outcome) == (
        "",
        None,
        "closed",
        "erased",
    )
    assert store.get(theirs) is not None and store.get(theirs).trigger_text
    assert store.open_escalation_for("wp-me") is None
    again = erase_everything("wp-me", store=store, delete_conversation=delete)
    assert not again.anything
    tracker.dispose()
