"""Per-process memory of the desk: undo stacks per session and failed-login counts.

Kept on the server, not in the session cookie, so that answers and draft texts never travel in a
cookie.  Both are lost when the desk restarts, which is harmless: every change is in the store.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

UNDO_DEPTH = 20
MAX_SESSIONS = 1000
LOGIN_ATTEMPTS = 5  # failures per name within the window before logins for it are refused
LOGIN_WINDOW = 300.0  # seconds


class UndoStacks:
    def __init__(self) -> None:
        self._stacks: dict[str, deque[tuple[Any, ...]]] = {}
        self._lock = threading.Lock()

    def push(self, sid: str, entry: tuple[Any, ...]) -> None:
        with self._lock:
            if sid not in self._stacks and len(self._stacks) >= MAX_SESSIONS:
                self._stacks.pop(next(iter(self._stacks)))
            self._stacks.setdefault(sid, deque(maxlen=UNDO_DEPTH)).append(entry)

    def pop(self, sid: str) -> tuple[Any, ...] | None:
        with self._lock:
            stack = self._stacks.get(sid)
            return stack.pop() if stack else None

    def drop(self, sid: str) -> None:
        with self._lock:
            self._stacks.pop(sid, None)


class LoginThrottle:
    """Refuses a name for a while after repeated wrong passwords (guessing is slow anyway)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, name: str) -> list[float]:
        now = self.clock()
        recent = [t for t in self._failures.get(name, []) if now - t < LOGIN_WINDOW]
        self._failures[name] = recent
        return recent

    def blocked(self, name: str) -> bool:
        with self._lock:
            return len(self._recent(name.casefold())) >= LOGIN_ATTEMPTS

    def failed(self, name: str) -> None:
        with self._lock:
            if len(self._failures) > MAX_SESSIONS:
                self._failures.clear()
            self._recent(name.casefold()).append(self.clock())

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name.casefold(), None)


CLAIM_SECONDS = 120.0  # how long a field shown to one clerk is kept from the others


class Claims:
    """Which field each session is looking at, so that two clerks are not shown the same one."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self._claims: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def claim(self, sid: str, key: int) -> None:
        with self._lock:
            if len(self._claims) > MAX_SESSIONS:
                self._claims.clear()
            self._claims[sid] = (key, self.clock())

    def held_by_others(self, sid: str) -> list[int]:
        now = self.clock()
        with self._lock:
            return [
                key
                for owner, (key, at) in self._claims.items()
                if owner != sid and now - at < CLAIM_SECONDS
            ]
