"""The archive's SQLite file: opened private (0600 in a 0700 folder), in WAL mode so the
dashboard and a `sync` in another terminal can both use it, and migrated to the schema this
version knows (`PRAGMA user_version`), one step at a time, each in its own transaction.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

#: Seconds a writer waits for another (the dashboard's fold-in while `sync` writes).
BUSY_TIMEOUT = 10.0

MEMORY = ":memory:"


class ArchiveError(Exception):
    """The archive cannot be used (a newer schema, a file that is not SQLite, a full disk)."""


class QueryStopped(Exception):
    """A read was stopped because its answer is no longer wanted (a newer one was asked)."""


def describe_failure(exc: BaseException, path: Path | str) -> str:
    """One line for a failure of the archive; a full disk is said as such (SQLite's code or
    ENOSPC decide, not its wording)."""
    import errno

    full = getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or (
        isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)
    )
    if full:
        return (
            f"the disk is full: the archive {path} could not be written (nothing of this "
            "write was kept); free some space and try again"
        )
    return f"the archive cannot be used ({exc})"


def rollback(db: sqlite3.Connection) -> None:
    """End a failed transaction. SQLite may have rolled it back itself (a full disk does):
    then there is nothing to do, and the failure that got us here is the one to report."""
    if db.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")


def _run(script: str) -> Callable[[sqlite3.Connection], None]:
    """A migration from SQL statements, run one by one (`executescript` would commit the
    migration's transaction half-way)."""
    statements = [s.strip() for s in script.split(";\n") if s.strip()]

    def step(db: sqlite3.Connection) -> None:
        for statement in statements:
            db.execute(statement)

    return step


_V1 = _run(
    """
        -- Daily totals of every usage answer; a later answer for a day replaces an earlier one.
        CREATE TABLE usage_day (
            day TEXT PRIMARY KEY, usd REAL NOT NULL, diem REAL NOT NULL, fetched_at TEXT NOT NULL
        ) WITHOUT ROWID;
        -- The top models' and keys' daily series (kind 'model' or 'key'), as that answer had them.
        CREATE TABLE usage_series (
            day TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
            combined REAL NOT NULL, usd REAL,
            PRIMARY KEY (day, kind, name)
        ) WITHOUT ROWID;
        -- Models and keys of one day, from one-day answers (the only ones that allow it).
        CREATE TABLE usage_model_day (
            day TEXT NOT NULL, name TEXT NOT NULL, unit_type TEXT NOT NULL, model_type TEXT,
            usd REAL NOT NULL, diem REAL NOT NULL, units REAL NOT NULL,
            PRIMARY KEY (day, name, unit_type)
        ) WITHOUT ROWID;
        CREATE TABLE usage_key_day (
            day TEXT NOT NULL, row_key TEXT NOT NULL, key_id TEXT, description TEXT NOT NULL,
            usd REAL NOT NULL, diem REAL NOT NULL, units REAL NOT NULL,
            PRIMARY KEY (day, row_key)
        ) WITHOUT ROWID;
        -- Whole answers of month-aligned chunks, for periods longer than one request.
        CREATE TABLE usage_chunk (
            start TEXT NOT NULL, end TEXT NOT NULL, fetched_at TEXT NOT NULL, body BLOB NOT NULL,
            PRIMARY KEY (start, end)
        ) WITHOUT ROWID;
        -- The per-request ledger. Texts that repeat (SKUs, notes) are stored once.
        CREATE TABLE ledger_text (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
        CREATE TABLE ledger (
            id INTEGER PRIMARY KEY,
            ts INTEGER NOT NULL,                 -- milliseconds since the epoch, UTC
            sku INTEGER NOT NULL REFERENCES ledger_text (id),
            currency TEXT NOT NULL,
            amount REAL NOT NULL,                -- negative for debits, as Venice sends it
            units REAL NOT NULL,
            price REAL,
            notes INTEGER REFERENCES ledger_text (id),
            request_id TEXT,
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            exec_ms INTEGER,
            fingerprint INTEGER NOT NULL UNIQUE  -- the same row sent twice is stored once
        );
        CREATE INDEX ledger_by_time ON ledger (ts);
        -- Where the ledger walk stands: its cursor, and since when it was started.
        CREATE TABLE ledger_sync (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        """
)


def _each(*statements: str) -> Callable[[sqlite3.Connection], None]:
    """A migration from whole statements (a trigger's body holds ";" + newline)."""

    def step(db: sqlite3.Connection) -> None:
        for statement in statements:
            db.execute(statement)

    return step


#: The ledger summed per hour, SKU and currency, and per currency, kept by a trigger in the
#: transaction that inserts the rows (so sums and rows never disagree; rows are never deleted
#: or changed). History's totals, chart and cost per SKU read these instead of every row.
_V2 = _each(
    """
    CREATE TABLE ledger_hour (
        hour INTEGER NOT NULL,               -- ts / 3600000
        sku INTEGER NOT NULL,
        currency TEXT NOT NULL,
        rows INTEGER NOT NULL,
        amount REAL NOT NULL,
        units REAL NOT NULL,
        PRIMARY KEY (hour, sku, currency)
    ) WITHOUT ROWID
    """,
    """
    INSERT INTO ledger_hour
        SELECT ts / 3600000, sku, currency, COUNT(*), TOTAL(amount), TOTAL(units)
        FROM ledger GROUP BY ts / 3600000, sku, currency
    """,
    """
    CREATE TABLE ledger_sum (
        currency TEXT PRIMARY KEY, rows INTEGER NOT NULL, amount REAL NOT NULL
    ) WITHOUT ROWID
    """,
    "INSERT INTO ledger_sum SELECT currency, COUNT(*), TOTAL(amount) FROM ledger GROUP BY currency",
    """
    CREATE TRIGGER ledger_sums_add AFTER INSERT ON ledger BEGIN
        INSERT INTO ledger_hour VALUES (
            NEW.ts / 3600000, NEW.sku, NEW.currency, 1, NEW.amount, NEW.units
        ) ON CONFLICT (hour, sku, currency) DO UPDATE SET
            rows = rows + 1, amount = amount + excluded.amount, units = units + excluded.units;
        INSERT INTO ledger_sum VALUES (NEW.currency, 1, NEW.amount)
        ON CONFLICT (currency) DO UPDATE SET rows = rows + 1, amount = amount + excluded.amount;
    END
    """,
)


#: Schema version N is reached by running MIGRATIONS[N - 1] on version N - 1.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_V1, _V2)
SCHEMA_VERSION = len(MIGRATIONS)


def connect(path: Path | str, readonly: bool = False) -> sqlite3.Connection:
    """A connection to the archive at `path`, migrated to `SCHEMA_VERSION`."""
    if str(path) != MEMORY and not readonly:
        _prepare_file(Path(path))
    try:
        if readonly:
            db = sqlite3.connect(
                f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT, check_same_thread=False
            )
        else:
            db = sqlite3.connect(
                str(path), timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
            )
        if str(path) != MEMORY and not readonly:
            db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            migrate(db)
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
            raise ArchiveError(describe_failure(exc, path)) from None
        raise ArchiveError(f"the archive {path} cannot be used ({exc})") from None
    return db


def connect_reader(path: Path | str) -> sqlite3.Connection:
    """A second connection to a migrated archive, for reads only: in WAL mode it reads while
    the first one writes."""
    db = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
    )
    db.execute("PRAGMA query_only = ON")
    return db


def migrate(db: sqlite3.Connection) -> int:
    """Bring the schema up to `SCHEMA_VERSION`; the version it was at before."""
    (version,) = db.execute("PRAGMA user_version").fetchone()
    if version > SCHEMA_VERSION:
        raise ArchiveError(
            f"the archive was written by a newer venice-tui (schema {version}, this one knows "
            f"{SCHEMA_VERSION}); update venice-tui"
        )
    for step in range(version, SCHEMA_VERSION):
        db.execute("BEGIN IMMEDIATE")
        try:
            (now,) = db.execute("PRAGMA user_version").fetchone()
            if now == step:  # another process may have migrated meanwhile
                MIGRATIONS[step](db)
                db.execute(f"PRAGMA user_version = {step + 1}")
            db.execute("COMMIT")
        except BaseException:
            rollback(db)
            raise
    return int(version)


def _prepare_file(path: Path) -> None:
    """The folder 0700 and the file 0600 before SQLite opens it (its WAL files follow the
    file's mode)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.parent.is_symlink():
        os.chmod(path.parent, 0o700)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    if not path.is_symlink():
        os.chmod(path, 0o600)
