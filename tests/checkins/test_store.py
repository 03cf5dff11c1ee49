"""The check-in store: one waiting check-in per conversation, deleted once done."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.checkins.store import CheckinStore
from bot.checkins.timing import due_time

NOW = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)


def test_a_check_in_is_stored_under_the_pseudonym_and_found_when_due(
    store: CheckinStore,
) -> None:
    store.request(conversation_id="wp-a", channel="telegram", due_at=NOW + timedelta(days=1))
    assert store.due(NOW) == []
    [due] = store.due(NOW + timedelta(days=1))
    assert (due.conversation_id, due.channel) == ("wp-a", "telegram")
    assert due.due_at == NOW + timedelta(days=1)


def test_asking_again_moves_the_one_check_in(store: CheckinStore) -> None:
    first = store.request(conversation_id="wp-a", channel="telegram", due_at=NOW)
    second = store.request(
        conversation_id="wp-a", channel="telegram", due_at=NOW + timedelta(hours=2)
    )
    assert first == second
    assert store.due(NOW) == []
    assert len(store.due(NOW + timedelta(hours=2))) == 1


def test_cancel_deletes_it_and_says_whether_there_was_one(store: CheckinStore) -> None:
    store.request(conversation_id="wp-a", channel="telegram", due_at=NOW)
    store.request(conversation_id="wp-b", channel="telegram", due_at=NOW)
    assert store.cancel("wp-a") is True
    assert store.cancel("wp-a") is False
    assert store.pending("wp-a") is None
    assert [c.conversation_id for c in store.due(NOW)] == ["wp-b"]


def test_done_deletes_and_failed_counts(store: CheckinStore) -> None:
    checkin_id = store.request(conversation_id="wp-a", channel="telegram", due_at=NOW)
    assert store.failed(checkin_id) == 1
    assert store.failed(checkin_id) == 2
    store.done(checkin_id)
    assert store.due(NOW) == []


def test_due_time_is_tomorrow_at_a_kind_hour() -> None:
    # 15:30 UTC in November is 15:30 in London: the same time tomorrow.
    assert due_time(NOW) == datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
    # 02:10 in London: not at night, at 10:00 the next day.
    assert due_time(datetime(2026, 11, 23, 2, 10, tzinfo=UTC)) == datetime(
        2026, 11, 24, 10, 0, tzinfo=UTC
    )
    # 23:00 in London (summer, UTC+1): 20:00 the next day, London time.
    assert due_time(datetime(2026, 7, 1, 22, 0, tzinfo=UTC)) == datetime(
        2026, 7, 2, 19, 0, tzinfo=UTC
    )
