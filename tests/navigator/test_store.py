"""The escalation store, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import threading
from datetime import UTC, timedelta

import pytest

from bot.navigator.models import utcnow
from bot.navigator.store import EscalationConflictError, EscalationNotFoundError, EscalationStore
from bot.navigator.views import queue_rows
from bot.venues.store import VenueStore
from tests.navigator.conftest import ALWAYS_OPEN, NEVER_OPEN


def escalate(store: EscalationStore, conversation: str = "wp-abc", **overrides: object) -> int:
    fields: dict[str, object] = dict(
        conversation_id=conversation,
        channel="telegram",
        level="high",
        categories=["threat"],
        trigger_text="they said they'd get me after school",
    )
    fields.update(overrides)
    return store.create_escalation(**fields)  # type: ignore[arg-type]


def venue_code(store: EscalationStore) -> str:
    """A real venue code in the store's database (escalations drop unknown codes)."""
    return VenueStore(store.db.url.render_as_string(False)).add("Mare Street", "hackney").code


def navigator(store: EscalationStore, username: str = "sam", name: str = "Sam") -> int:
    return store.add_navigator(username=username, display_name=name, password="a long passphrase")


def test_create_is_committed_and_survives_a_restart(store: EscalationStore, db_url: str) -> None:
    venue = venue_code(store)
    escalation_id = escalate(store, area="Hackney", venue=venue)
    again = EscalationStore(db_url, hours=ALWAYS_OPEN)  # a new process, in effect
    try:
        row = again.get(escalation_id)
        assert row is not None
        assert row.conversation_id == "wp-abc"
        assert row.status == "waiting" and not row.handoff_active
        assert row.categories == ("threat",)
        assert row.trigger_text == "they said they'd get me after school"
        assert (row.area, row.venue) == ("Hackney", venue)
        assert row.created_at.tzinfo is not None and row.created_at.utcoffset() == timedelta(0)
        assert abs(row.created_at - utcnow()) < timedelta(minutes=1)
    finally:
        again.dispose()


def test_open_escalation_is_not_duplicated(store: EscalationStore) -> None:
    first = escalate(store, level="medium", categories=["threat"], trigger_text="scared")
    second = escalate(
        store, level="immediate", categories=["weapon"], trigger_text="he has a knife"
    )
    third = escalate(store, level="high", categories=["weapon"], trigger_text="he has a knife")
    assert first == second == third
    row = store.get(first)
    assert row is not None
    assert row.level == "immediate"  # raised, and never lowered again
    assert row.categories == ("threat", "weapon")
    assert row.triggers == ["scared", "he has a knife"]  # repeated words kept once
    assert [e.event for e in store.history(first)] == ["created", "raised", "repeated"]
    assert len(store.queue()) == 1


def test_a_raised_card_shows_the_latest_words(store: EscalationStore) -> None:
    """The card leads with what raised it; the first, milder words are on the page."""
    escalate(store, level="medium", trigger_text="dont feel safe round here")
    escalate(store, level="immediate", trigger_text="hes at the door now")
    html = queue_rows(store.queue(), {})
    assert '<q class="words">hes at the door now</q>' in html
    assert "and 1 earlier" in html and "dont feel safe" not in html


def test_queue_orders_by_level_then_oldest(store: EscalationStore) -> None:
    medium = escalate(store, "wp-1", level="medium")
    high_old = escalate(store, "wp-2", level="high")
    immediate = escalate(store, "wp-3", level="immediate")
    high_new = escalate(store, "wp-4", level="high")
    closed = escalate(store, "wp-5", level="immediate")
    store.close(escalation_id=closed, outcome="supported")
    assert [row.id for row in store.queue()] == [immediate, high_old, high_new, medium]


def test_claim_hand_back_close(store: EscalationStore) -> None:
    sam, alex = navigator(store), navigator(store, "alex", "Alex")
    escalation_id = escalate(store)
    assert store.handoff_active("wp-abc") is False

    row = store.claim(escalation_id=escalation_id, navigator_id=sam)
    assert (row.status, row.navigator_id, row.handoff_active) == ("claimed", sam, True)
    assert row.claimed_at is not None
    assert store.handoff_active("wp-abc") is True
    assert store.claim(escalation_id=escalation_id, navigator_id=sam).status == "claimed"
    with pytest.raises(EscalationConflictError):
        store.claim(escalation_id=escalation_id, navigator_id=alex)

    row = store.hand_back(escalation_id=escalation_id, navigator_id=sam)
    assert (row.status, row.handoff_active) == ("handed_back", False)
    assert store.handoff_active("wp-abc") is False
    assert store.open_escalation_for("wp-abc") is not None  # still open until closed

    row = store.close(escalation_id=escalation_id, outcome="signposted", notes="gave Fearless")
    assert (row.status, row.outcome, row.notes) == ("closed", "signposted", "gave Fearless")
    assert row.closed_at is not None and row.navigator_id == sam
    assert store.open_escalation_for("wp-abc") is None
    assert store.queue() == []
    with pytest.raises(EscalationConflictError):
        store.close(escalation_id=escalation_id, outcome="other")
    events = [e.event for e in store.history(escalation_id)]
    assert events == ["created", "claimed", "handed_back", "closed"]

    # A closed escalation is history: new risk opens a new one.
    assert escalate(store) != escalation_id


def test_close_while_taken_over_clears_the_handoff(store: EscalationStore) -> None:
    sam = navigator(store)
    escalation_id = escalate(store)
    store.claim(escalation_id=escalation_id, navigator_id=sam)
    store.close(escalation_id=escalation_id, outcome="supported", navigator_id=sam)
    assert store.handoff_active("wp-abc") is False


def test_release_undoes_a_claim(store: EscalationStore) -> None:
    sam = navigator(store)
    escalation_id = escalate(store)
    store.claim(escalation_id=escalation_id, navigator_id=sam)
    row = store.release(escalation_id=escalation_id, navigator_id=sam)
    assert (row.status, row.handoff_active) == ("waiting", False)


def test_new_risk_after_hand_back_needs_a_person_again(store: EscalationStore) -> None:
    sam = navigator(store)
    escalation_id = escalate(store, level="medium")
    store.claim(escalation_id=escalation_id, navigator_id=sam)
    store.hand_back(escalation_id=escalation_id, navigator_id=sam)
    assert escalate(store, level="high", trigger_text="it's happening again") == escalation_id
    row = store.get(escalation_id)
    assert row is not None and (row.status, row.level) == ("waiting", "high")


def test_handoff_state_survives_a_restart(store: EscalationStore, db_url: str) -> None:
    sam = navigator(store)
    store.claim(escalation_id=escalate(store), navigator_id=sam)
    again = EscalationStore(db_url)
    try:
        assert again.handoff_active("wp-abc") is True
        assert again.handoff_active("wp-someone-else") is False
    finally:
        again.dispose()


def test_bad_input_and_missing_rows(store: EscalationStore) -> None:
    with pytest.raises(ValueError):
        escalate(store, level="low")
    with pytest.raises(ValueError):
        escalate(store, conversation="")
    assert store.get(999) is None
    with pytest.raises(EscalationNotFoundError):
        store.claim(escalation_id=999, navigator_id=navigator(store))
    with pytest.raises(ValueError):
        store.close(escalation_id=escalate(store), outcome=" ")


def test_concurrent_escalations_make_one_row(store: EscalationStore, db_url: str) -> None:
    """Several writers (as from several processes) racing for one conversation."""
    stores = [EscalationStore(db_url, hours=ALWAYS_OPEN) for _ in range(6)]
    ids: list[int] = []
    barrier = threading.Barrier(len(stores))

    def run(worker: EscalationStore, n: int) -> None:
        barrier.wait()
        ids.append(escalate(worker, "wp-race", trigger_text=f"message {n}"))
        escalate(worker, f"wp-other-{n}")

    threads = [threading.Thread(target=run, args=(s, n)) for n, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for worker in stores:
        worker.dispose()
    assert len(set(ids)) == 1 and len(ids) == 6
    row = store.get(ids[0])
    assert row is not None and len(row.triggers) == 6
    assert len(store.queue()) == 7


def test_any_navigator_online(store: EscalationStore, db_url: str) -> None:
    sam = navigator(store)
    assert store.any_navigator_online() is False
    store.set_online(navigator_id=sam, online=True)
    assert store.any_navigator_online() is True
    later = utcnow() + timedelta(minutes=10)  # console closed, never went offline
    assert store.any_navigator_online(later) is False
    store.touch_navigator(navigator_id=sam, now=later)
    assert store.any_navigator_online(later) is True
    closed = EscalationStore(db_url, hours=NEVER_OPEN)
    try:
        # Online out of hours is still online: the young person is told a person is there.
        assert closed.any_navigator_online() is True
    finally:
        closed.dispose()
    store.set_online(navigator_id=sam, online=False)
    assert store.any_navigator_online() is False


def test_timestamps_are_utc(store: EscalationStore) -> None:
    row = store.get(escalate(store))
    assert row is not None
    assert row.created_at.tzinfo == UTC and row.updated_at.tzinfo == UTC


def test_forget_me_redacts_everything_personal(store: EscalationStore) -> None:
    sam = navigator(store)
    old = escalate(store, area="Hackney", venue=venue_code(store))
    store.close(escalation_id=old, outcome="supported", notes="talked about school")
    current = escalate(store, trigger_text="he has a knife")
    store.claim(escalation_id=current, navigator_id=sam)
    other = escalate(store, "wp-someone-else")
    assert store.erase_conversation(conversation_id="wp-abc") == 2
    assert store.open_escalation_for("wp-abc") is None
    assert not store.handoff_active("wp-abc")
    for escalation_id in (old, current):
        row = store.get(escalation_id)
        assert row is not None and row.status == "closed"
        assert row.conversation_id == f"erased-{escalation_id}"
        assert (row.trigger_text, row.notes, row.area, row.venue) == ("", "", None, None)
        assert row.level == "high" and row.categories == ("threat",)  # anonymous counts
    assert store.get(current).outcome == "erased"  # type: ignore[union-attr]
    assert store.get(old).outcome == "supported"  # type: ignore[union-attr]
    assert [row.id for row in store.queue()] == [other]
    assert store.erase_conversation(conversation_id="wp-abc") == 0


def test_already_recorded_knows_words_and_level(store: EscalationStore) -> None:
    escalate(store, level="high", categories=["weapon"], trigger_text="he  has a knife")

    def recorded(level: str, words: str) -> bool:
        return store.already_recorded(
            conversation_id="wp-abc", level=level, trigger_text=words
        )

    assert recorded("high", "he has a knife")
    assert recorded("medium", "he has a knife")
    assert not recorded("immediate", "he has a knife")  # a higher level must be stored
    assert not recorded("high", "they're outside")  # new words must be stored
    assert not store.already_recorded(
        conversation_id="wp-someone-else", level="high", trigger_text="he has a knife"
    )
