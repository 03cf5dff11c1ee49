"""Proof of privacy (issue 7): the same conversation through every channel, then "/forget".

One stack as ``make run`` starts it (action server, Rasa, console, Telegram bridge on the
Bot API stand-in). Each channel gets a disclosure that escalates, with a phone number,
an email, a full postcode and a handle in it. Then every file the stack wrote (both
databases with their write-ahead logs, every log file) is searched for those strings and
for the raw platform ids (Telegram chat id, first name, username; the web session token;
the REST sender id): none may be there. Then ``/forget`` on each channel, after which
nothing of the pseudonym remains but an anonymous row saying an escalation existed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import httpx
import pytest
import sqlalchemy as sa

from bot.launcher import Stack
from tests.e2e.chat import escalations, joined, pseudonym, say
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.updates import text_update

pytestmark = pytest.mark.e2e

SECRET = "privacy-proof-server-secret"
TELEGRAM_CHAT = 8100000099
TELEGRAM_FIRST_NAME = "Zebedee"
TELEGRAM_USERNAME = "zeb_tester_99"


@dataclass(frozen=True)
class Said:
    """What one channel's young person typed, and the details that must never be kept."""

    channel: str
    platform_id: str
    phone: str
    email: str
    postcode: str
    handle: str

    @property
    def message(self) -> str:
        return (
            f"they said they will stab me after school. text me on {self.phone} or email "
            f"{self.email}, I'm at {self.postcode}, my snap is {self.handle}"
        )

    @property
    def never_stored(self) -> list[str]:
        digits = self.phone.replace(" ", "")
        return [self.phone, digits, digits[-6:], self.email, self.email.split("@")[0],
                self.postcode, self.postcode.replace(" ", ""), self.handle]  # fmt: skip


WEB_SESSION = secrets.token_urlsafe(24)
SAID = {
    "rest": Said("rest", "rest-user-424242", "07700 900123", "kai.rest@gmail.com",
                 "UB3 4RE", "kai_rest_12"),
    "webchat": Said("webchat", WEB_SESSION, "07700 900456", "mo.web@hotmail.co.uk",
                    "N1 9GU", "mo_web_34"),
    "telegram": Said("telegram", str(TELEGRAM_CHAT), "+44 7700 900789",
                     "lee.tg@outlook.com", "B91 3QH", "lee_tg_56"),
}  # fmt: skip


@pytest.fixture(scope="module")
def bot_api(telegram_api: FakeBotApi) -> FakeBotApi:
    return telegram_api


@pytest.fixture(scope="module")
def stack(telegram_stack: Stack) -> Stack:
    return telegram_stack


def telegram_update(text: str) -> dict:
    """A message as Telegram sends it: with the person's first name and username."""
    update = text_update(text, TELEGRAM_CHAT)
    for person in (update["message"]["from"], update["message"]["chat"]):
        person["first_name"] = TELEGRAM_FIRST_NAME
        person["username"] = TELEGRAM_USERNAME
    return update


def telegram_say(bot_api: FakeBotApi, text: str, expect: str) -> str:
    """Send ``text`` from the Telegram chat; return the first reply containing ``expect``."""
    earlier = {id(call) for call in bot_api.recorded("sendMessage")}
    bot_api.push(telegram_update(text))
    call = bot_api.wait_for(
        "sendMessage",
        lambda c: id(c) not in earlier
        and c.params.get("chat_id") == TELEGRAM_CHAT
        and expect in c.params["text"],
    )
    return str(call.params["text"])


def web_say(stack: Stack, **body: object) -> dict:
    response = httpx.post(
        f"{stack.rasa_url}/webhooks/webchat/webhook",
        json={"session": WEB_SESSION, **body},
        timeout=60,
    )
    response.raise_for_status()
    return response.json()


def every_byte(stack: Stack) -> dict[str, bytes]:
    """Every file the stack wrote: databases (with -wal/-shm/-journal) and logs."""
    roots = [stack.config.data_dir, stack.config.log_dir]
    return {
        str(path): path.read_bytes()
        for root in roots
        if root is not None
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def every_row(stack: Stack) -> list[str]:
    """Every row of every table of every SQLite database, as text."""
    rows: list[str] = []
    for path in sorted(stack.config.data_dir.glob("*.db")):
        engine = sa.create_engine(f"sqlite:///{path}", future=True)
        try:
            metadata = sa.MetaData()
            metadata.reflect(engine)
            with engine.connect() as connection:
                for table in metadata.sorted_tables:
                    for row in connection.execute(sa.select(table)):
                        rows.append(f"{path.name}:{table.name}:{tuple(row)}")
        finally:
            engine.dispose()
    return rows


@dataclass(frozen=True)
class Stored:
    """Everything the stack has written, read once: file bytes and table rows."""

    files: dict[str, bytes]
    rows: list[str]

    @classmethod
    def read(cls, stack: Stack) -> Stored:
        return cls(every_byte(stack), every_row(stack))

    def find(self, needle: str) -> list[str]:
        """Where ``needle`` appears: file names, and table rows (case-insensitive)."""
        lowered = needle.lower().encode()
        places = [name for name, data in self.files.items() if lowered in data.lower()]
        return places + [row[:200] for row in self.rows if needle.lower() in row.lower()]


@pytest.fixture(scope="module")
def conversations(stack: Stack, bot_api: FakeBotApi) -> dict[str, str]:
    """Hold the conversation on every channel; return each channel's pseudonym."""
    rest = SAID["rest"]
    assert "Waypoint" in joined(say(stack, rest.platform_id, "hi"))
    assert joined(say(stack, rest.platform_id, rest.message))

    web = SAID["webchat"]
    # The page's live stream carries the session token in its URL: it must not be logged.
    events = f"{stack.rasa_url}/webhooks/webchat/events"
    with httpx.stream("GET", events, params={"session": WEB_SESSION}, timeout=10) as stream:
        assert next(stream.iter_lines()).startswith("retry:")
    assert web_say(stack, start=True)["messages"]
    assert web_say(stack, message=web.message)["messages"]

    # Wait for the greeting's last message (the menu): its privacy line also says "youth
    # worker", and a late one would pass for the answer to the disclosure below.
    telegram_say(bot_api, "hi", "What would you like to talk about")
    # Said only after the escalation is stored, with nobody online.
    telegram_say(bot_api, SAID["telegram"].message, "I've left them a message")
    return {channel: pseudonym(stack, channel, said.platform_id) for channel, said in SAID.items()}


def test_each_channel_escalated_with_the_words_redacted(
    stack: Stack, conversations: dict[str, str]
) -> None:
    store = escalations(stack)
    try:
        for channel, conversation_id in conversations.items():
            row = store.open_escalation_for(conversation_id)
            assert row is not None, f"no escalation for {channel}"
            assert row.channel == channel
            assert "they will stab me after school" in row.trigger_text
            for placeholder in ("[phone number]", "[email]", "[handle]"):
                assert placeholder in row.trigger_text
            assert "[postcode " in row.trigger_text  # the district stays, the rest goes
    finally:
        store.dispose()


def test_no_raw_id_or_identifying_detail_is_stored_or_logged(
    stack: Stack, conversations: dict[str, str]
) -> None:
    stored = Stored.read(stack)
    assert any(name.endswith("conversations.db") for name in stored.files)
    assert any(name.endswith("rasa.log") for name in stored.files)
    raw_ids = [said.platform_id for said in SAID.values()]
    raw_ids += [TELEGRAM_FIRST_NAME, TELEGRAM_USERNAME]
    for needle in raw_ids + [n for said in SAID.values() for n in said.never_stored]:
        assert not (places := stored.find(needle)), f"{needle!r} was stored: {places}"
    # ...while the conversations themselves were stored, under pseudonyms
    for conversation_id in conversations.values():
        assert stored.find(conversation_id)


def test_forget_leaves_nothing_but_an_anonymous_row(
    stack: Stack, bot_api: FakeBotApi, conversations: dict[str, str]
) -> None:
    rest_reply = joined(say(stack, SAID["rest"].platform_id, "/forget"))
    web_reply = web_say(stack, forget=True)
    telegram_reply = telegram_say(bot_api, "/forget", "deleted")

    assert "deleted this chat" in rest_reply and "youth worker" in rest_reply
    assert web_reply["forgotten"] is True
    assert "deleted this chat" in " ".join(m["text"] for m in web_reply["messages"])
    assert "deleted" in telegram_reply

    stored = Stored.read(stack)
    for channel, conversation_id in conversations.items():
        assert not stored.find(conversation_id), f"{channel}: pseudonym still stored"
    assert not stored.find("they will stab me")  # the words, in any file or row

    store = escalations(stack)
    try:
        with store.db.read() as session:
            rows = session.execute(
                sa.text("SELECT conversation_id, trigger_text, status, outcome, channel, level "
                        "FROM escalations")
            ).all()  # fmt: skip
    finally:
        store.dispose()
    assert sorted(row.channel for row in rows) == ["rest", "telegram", "webchat"]
    for row in rows:  # the anonymous audit row: it happened, at this level, on this channel
        assert row.conversation_id.startswith("erased-")
        assert (row.trigger_text, row.status, row.outcome, row.level) == (
            "", "closed", "erased", "immediate",
        )  # fmt: skip


def test_the_bot_starts_afresh_after_forget(stack: Stack, conversations: dict[str, str]) -> None:
    replies = say(stack, SAID["rest"].platform_id, "hi")
    assert "Waypoint" in joined(replies)
