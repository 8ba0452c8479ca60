"""The portal's own accounts, sessions and login attempts, in its own SQLite file.

The library never sees a password: an account maps an e-mail and an argon2 hash to a
library member id, and the portal tells the library which member acts on each request.
"""
from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
import time
from typing import Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

SESSION_SECONDS = 14 * 24 * 3600
LOGIN_WINDOW_SECONDS = 15 * 60
LOGIN_MAX_FAILURES = 5          # per e-mail and per address, in the window

_hasher = PasswordHasher()      # argon2id with the library's default cost


def _digest(token: str) -> str:
    # Only a hash of the session token is stored: a leaked accounts file opens no session.
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    def __init__(self, path: str):
        self.path = path
        self._local = threading.local()
        with self._connect() as c:
            c.executescript(
                """
                PRAGMA journal_mode=WAL;
                CREATE TABLE IF NOT EXISTS account (
                    id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, member TEXT NOT NULL UNIQUE,
                    password_hash TEXT NOT NULL, lang TEXT, created_at REAL NOT NULL);
                CREATE TABLE IF NOT EXISTS session (
                    token_hash TEXT PRIMARY KEY, account INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                    expires_at REAL NOT NULL);
                CREATE TABLE IF NOT EXISTS login_failure (key TEXT NOT NULL, at REAL NOT NULL);
                CREATE INDEX IF NOT EXISTS login_failure_key ON login_failure(key, at);
                CREATE TABLE IF NOT EXISTS secret (id INTEGER PRIMARY KEY CHECK (id = 1), value BLOB NOT NULL);
                """
            )
            c.execute("INSERT OR IGNORE INTO secret VALUES (1, ?)", (secrets.token_bytes(32),))

    def secret(self) -> bytes:
        """The key of the CSRF tokens: one per accounts file, so that every worker process agrees."""
        with self._connect() as c:
            return bytes(c.execute("SELECT value FROM secret WHERE id = 1").fetchone()[0])

    def _connect(self) -> sqlite3.Connection:
        # One connection per thread, kept: a request reads its session without opening a file.
        c = getattr(self._local, "conn", None)
        if c is None:
            c = sqlite3.connect(self.path, timeout=10)
            c.execute("PRAGMA foreign_keys=ON")
            c.row_factory = sqlite3.Row
            self._local.conn = c
        return c

    # Accounts
    def create(self, email: str, password: str, member: str, lang: Optional[str] = None) -> int:
        with self._connect() as c:
            cur = c.execute(
                "INSERT INTO account(email, member, password_hash, lang, created_at) VALUES (?,?,?,?,?)",
                (email.strip().lower(), member, _hasher.hash(password), lang, time.time()))
            return int(cur.lastrowid)

    def email_taken(self, email: str) -> bool:
        with self._connect() as c:
            return c.execute("SELECT 1 FROM account WHERE email=?", (email.strip().lower(),)).fetchone() is not None

    def verify(self, email: str, password: str) -> Optional[sqlite3.Row]:
        with self._connect() as c:
            row = c.execute("SELECT * FROM account WHERE email=?", (email.strip().lower(),)).fetchone()
        if row is None:
            _hasher.hash(password)        # the same work whether or not the e-mail exists
            return None
        try:
            _hasher.verify(row["password_hash"], password)
        except (VerificationError, InvalidHashError):
            return None
        return row

    def set_lang(self, account: int, lang: str) -> None:
        with self._connect() as c:
            c.execute("UPDATE account SET lang=? WHERE id=?", (lang, account))

    def delete(self, account: int) -> None:
        with self._connect() as c:
            c.execute("DELETE FROM account WHERE id=?", (account,))

    # Sessions
    def open_session(self, account: int) -> str:
        token = secrets.token_urlsafe(32)
        with self._connect() as c:
            c.execute("DELETE FROM session WHERE expires_at < ?", (time.time(),))
            c.execute("INSERT INTO session VALUES (?,?,?)", (_digest(token), account, time.time() + SESSION_SECONDS))
        return token

    def session_account(self, token: Optional[str]) -> Optional[sqlite3.Row]:
        if not token:
            return None
        with self._connect() as c:
            return c.execute(
                "SELECT account.* FROM session JOIN account ON account.id = session.account "
                "WHERE token_hash=? AND expires_at > ?", (_digest(token), time.time())).fetchone()

    def close_session(self, token: Optional[str]) -> None:
        if token:
            with self._connect() as c:
                c.execute("DELETE FROM session WHERE token_hash=?", (_digest(token),))

    # The login rate limit
    def too_many_failures(self, *keys: str) -> bool:
        since = time.time() - LOGIN_WINDOW_SECONDS
        with self._connect() as c:
            for key in keys:
                n = c.execute("SELECT count(*) FROM login_failure WHERE key=? AND at>?", (key, since)).fetchone()[0]
                if n >= LOGIN_MAX_FAILURES:
                    return True
        return False

    def record_failure(self, *keys: str) -> None:
        with self._connect() as c:
            c.execute("DELETE FROM login_failure WHERE at < ?", (time.time() - LOGIN_WINDOW_SECONDS,))
            c.executemany("INSERT INTO login_failure VALUES (?,?)", [(k, time.time()) for k in keys])
