"""Clerk accounts for the review desk: names and argon2 password hashes (schema step 2).

Passwords are never stored or logged; only the argon2id hash is kept.  Adding a user is written to
the change log (the name, never the hash).
"""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from palaute.errors import InputError, StoreError
from palaute.store.survey import SYSTEM, Survey, now

log = logging.getLogger(__name__)

NAME_PATTERN = re.compile(r"^[^\W_][\w.@-]{0,63}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024

_hasher = PasswordHasher()
# Verified against when the name is unknown, so that a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


@dataclass(frozen=True)
class UserRow:
    id: int
    name: str
    active: bool
    created_at: str


def check_name(name: str) -> str:
    """The name as stored, or InputError when it is not a plain user name."""
    name = name.strip()
    if not NAME_PATTERN.match(name):
        raise InputError("user.bad_name", name=name)
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InputError("user.password_too_short", minimum=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise InputError("user.password_too_long", maximum=MAX_PASSWORD)
    return password


def add_user(survey: Survey, name: str, password: str, *, who: str = SYSTEM) -> UserRow:
    """Create a clerk account (logged); InputError when the name is taken or unusable."""
    name = check_name(name)
    password_hash = _hasher.hash(check_password(password))
    with survey.transaction() as c:
        if c.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
            raise InputError("user.exists", name=name)
        stamp = now()
        cur = c.execute(
            "INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)",
            (name, password_hash, stamp),
        )
        user_id = int(cur.lastrowid or 0)
        Survey._log(c, stamp, who, "user", user_id, "name", None, name)
    log.info("user %s added", name)
    return UserRow(user_id, name, True, stamp)


def set_password(survey: Survey, name: str, password: str, *, who: str = SYSTEM) -> None:
    """Replace a clerk's password (logged as a change, without the hash)."""
    password_hash = _hasher.hash(check_password(password))
    with survey.transaction() as c:
        row = c.execute("SELECT id FROM users WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise InputError("user.not_found", name=name)
        c.execute("UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, row["id"]))
        Survey._log(c, now(), who, "user", int(row["id"]), "password", None, "changed")


def users(survey: Survey) -> list[UserRow]:
    rows = survey.conn.execute("SELECT id, name, active, created_at FROM users ORDER BY name")
    return [UserRow(r["id"], r["name"], bool(r["active"]), r["created_at"]) for r in rows]


def is_active(survey: Survey, name: str) -> bool:
    row = survey.conn.execute("SELECT active FROM users WHERE name = ?", (name,)).fetchone()
    return row is not None and bool(row["active"])


def verify(survey: Survey, name: str, password: str) -> bool:
    """True when ``name`` is an active clerk and ``password`` is theirs."""
    if len(password) > MAX_PASSWORD:
        return False
    try:
        row = survey.conn.execute(
            "SELECT id, password_hash, active FROM users WHERE name = ?", (name.strip(),)
        ).fetchone()
    except sqlite3.Error as exc:
        raise StoreError("review.store_error", error=str(exc)) from exc
    stored = row["password_hash"] if row is not None else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
    if row is None or not row["active"]:
        return False
    if _hasher.check_needs_rehash(stored):
        with survey.transaction() as c:
            c.execute(
                "UPDATE users SET password_hash = ? WHERE id = ?",
                (_hasher.hash(password), row["id"]),
            )
    return True
