"""Retrying Bot API calls that Telegram did not carry out, one call at a time.

Plugged into python-telegram-bot as its rate limiter, so every Bot API call the bridge
makes (replies, navigator messages, check-ins, button answers) goes through it; getUpdates
does not (PTB handles polling errors itself). What is retried:

- 429 Too Many Requests: after exactly the ``retry_after`` Telegram asks for;
- 5xx answers and connection errors (nothing was sent): with exponential backoff;
- time-outs: also retried, because a lost reply to someone in danger is worse than a
  repeated one. A read time-out is the one case where Telegram may already have sent the
  message; the bridge's read time-out is long (``READ_TIMEOUT_S``) to make that rare.

Only the failed call is repeated, so earlier replies are never sent twice and later ones
wait their turn (each chat's replies are sent in order by one task). Anything else (400
Bad Request, 403 blocked by the user) is raised at once: repeating cannot fix it.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter

logger = logging.getLogger(__name__)

READ_TIMEOUT_S = 30.0
Result = bool | dict[str, Any] | list[dict[str, Any]]


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry."""

    attempts: int = 6  # in all, the first one included
    backoff_s: float = 1.0  # first wait after a 5xx or network error; doubles each time
    max_backoff_s: float = 30.0
    max_retry_after_s: float = 300.0  # a longer flood wait is given up and logged


def seconds(value: int | float | timedelta) -> float:
    """``RetryAfter.retry_after`` as seconds (PTB 22 may give an int or a timedelta)."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def retryable(error: Exception) -> bool:
    """True for a 5xx answer, a connection error or a time-out (not e.g. 400 Bad Request)."""
    return type(error) in (NetworkError, TimedOut)


class RetryingLimiter(BaseRateLimiter[None]):
    """A PTB rate limiter that only reacts: it retries calls Telegram did not carry out."""

    def __init__(self, policy: RetryPolicy | None = None) -> None:
        self.policy = policy or RetryPolicy()

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    def _wait(self, error: Exception, attempt: int) -> float | None:
        """Return how long to wait before the next attempt, or None to give up."""
        if attempt >= self.policy.attempts:
            return None
        if isinstance(error, RetryAfter):
            wait = seconds(error.retry_after)
            return wait if wait <= self.policy.max_retry_after_s else None
        if retryable(error):
            wait = min(self.policy.max_backoff_s, self.policy.backoff_s * 2 ** (attempt - 1))
            return wait * random.uniform(1.0, 1.25)  # noqa: S311 - jitter, not security
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> Result:
        """Call ``callback``; repeat it after a 429, a 5xx or a network error."""
        attempt = 1
        while True:
            try:
                return await callback(*args, **kwargs)
            except (RetryAfter, NetworkError) as error:
                wait = self._wait(error, attempt)
                reason = type(error).__name__
                if wait is None:
                    if isinstance(error, RetryAfter) or retryable(error):
                        logger.error(
                            "telegram.api.gave_up endpoint=%s reason=%s attempts=%d",
                            endpoint, reason, attempt,
                        )  # fmt: skip
                    raise
                logger.warning(
                    "telegram.api.retry endpoint=%s reason=%s attempt=%d wait_s=%.1f",
                    endpoint, reason, attempt, wait,
                )  # fmt: skip
                await asyncio.sleep(wait)
                attempt += 1
