"""Password hashing, navigator accounts and console sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.navigator.models import utcnow
from bot.navigator.passwords import check_strength, hash_password, verify_password
from bot.navigator.store import EscalationStore


def test_hash_is_salted_scrypt_and_verifies() -> None:
    first, second = hash_password("correct horse battery"), hash_password("correct horse battery")
    assert first.startswith("scrypt$16384$8$1$")
    assert first != second  # a fresh salt each time
    assert "correct" not in first
    assert verify_password("correct horse battery", first)
    assert verify_password("correct horse battery", second)
    assert not verify_password("correct horse batterY", first)
    assert not verify_password("", first)


def test_malformed_hashes_never_verify() -> None:
    for encoded in ("", "plain", "bcrypt$x$y$z$a$b", "scrypt$16384$8$1$!!!$???"):
        assert not verify_password("anything", encoded)
    with pytest.raises(ValueError):
        hash_password("")


def test_strength() -> None:
    assert check_strength("short") is not None
    assert check_strength(" padded passphrase ") is not None
    assert check_strength("a long enough passphrase") is None


def test_accounts(store: EscalationStore) -> None:
    sam = store.add_navigator(
        username=" Sam ", display_name="  Sam  ", password="a long passphrase"
    )
    with pytest.raises(ValueError):
        store.add_navigator(username="sam", display_name="Sam 2", password="another passphrase")
    with pytest.raises(ValueError):
        store.add_navigator(username="no spaces allowed", display_name="X", password="p" * 12)
    found = store.authenticate(username="SAM", password="a long passphrase")
    assert found is not None and (found.id, found.username, found.display_name) == (
        sam,
        "sam",
        "Sam",
    )
    assert store.authenticate(username="sam", password="wrong passphrase!") is None
    assert store.authenticate(username="nobody", password="a long passphrase") is None
    assert store.authenticate(username="", password="") is None
    assert [n.username for n in store.navigators()] == ["sam"]


def test_sessions(store: EscalationStore) -> None:
    sam = store.add_navigator(username="sam", display_name="Sam", password="a long passphrase")
    token, csrf = store.create_session(navigator_id=sam)
    assert token != csrf and len(token) >= 40
    session = store.session_for(token)
    assert session is not None
    assert session.navigator.id == sam and session.csrf_token == csrf
    assert store.session_for("not-a-token") is None
    assert store.session_for("") is None
    assert store.session_for(token, now=utcnow() + timedelta(hours=13)) is None  # expired
    store.end_session(token)
    assert store.session_for(token) is None


def test_new_password_ends_sessions(store: EscalationStore) -> None:
    sam = store.add_navigator(username="sam", display_name="Sam", password="a long passphrase")
    token, _ = store.create_session(navigator_id=sam)
    store.set_password(username="sam", password="a different passphrase")
    assert store.session_for(token) is None
    assert store.authenticate(username="sam", password="a different passphrase") is not None
    with pytest.raises(LookupError):
        store.set_password(username="nobody", password="a different passphrase")
