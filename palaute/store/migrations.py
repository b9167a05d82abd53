"""The survey database schema, as numbered migration steps.

Each step is SQL run once, in order, inside one transaction; ``PRAGMA user_version`` and the
``schema_version`` table record the last step applied.  Never edit a released step: add a new one.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

STEPS: tuple[str, ...] = (
    # 1 -- forms, templates, scan files, pages, respondents, fields, change log
    """
    CREATE TABLE schema_version (
        version     INTEGER PRIMARY KEY,
        applied_at  TEXT NOT NULL
    );
    CREATE TABLE forms (
        form_id     TEXT PRIMARY KEY,
        title       TEXT NOT NULL,
        language    TEXT NOT NULL,
        kind        TEXT NOT NULL
    );
    CREATE TABLE templates (
        version     TEXT PRIMARY KEY,               -- 8 hex digits, Template.content_hash()
        form_id     TEXT NOT NULL REFERENCES forms(form_id),
        body        TEXT NOT NULL,                  -- the template JSON
        page_count  INTEGER NOT NULL,
        source      TEXT NOT NULL DEFAULT '',       -- where it came from (PDF or JSON path)
        added_at    TEXT NOT NULL
    );
    CREATE TABLE template_blanks (
        version     TEXT PRIMARY KEY REFERENCES templates(version),
        pdf         BLOB NOT NULL                   -- the printed pages 1..n, unfilled (vector PDF)
    );
    CREATE TABLE scan_files (
        id          INTEGER PRIMARY KEY,
        path        TEXT NOT NULL,
        sha256      TEXT NOT NULL UNIQUE,
        page_count  INTEGER,
        status      TEXT NOT NULL CHECK (status IN ('reading', 'done', 'rejected')),
        error       TEXT,                           -- catalogue key when rejected
        error_params TEXT,                          -- JSON
        added_at    TEXT NOT NULL,
        finished_at TEXT
    );
    CREATE TABLE respondents (
        id          INTEGER PRIMARY KEY,
        version     TEXT NOT NULL REFERENCES templates(version),
        serial      INTEGER,                        -- printed copy serial, when there is one
        anchor_page INTEGER UNIQUE,                 -- first page, for copies grouped by order
        ordinal     INTEGER NOT NULL,               -- 1, 2, ... in scan order within the version
        missing_pages TEXT NOT NULL DEFAULT '[]',   -- JSON list of page numbers not scanned
        UNIQUE (version, serial),
        CHECK ((serial IS NULL) <> (anchor_page IS NULL))
    );
    CREATE TABLE pages (
        id          INTEGER PRIMARY KEY,
        file_id     INTEGER NOT NULL REFERENCES scan_files(id),
        page_index  INTEGER NOT NULL,               -- 0-based within the file
        status      TEXT NOT NULL,                  -- scanner.results.PageStatus
        reason      TEXT NOT NULL DEFAULT '',
        reason_params TEXT NOT NULL DEFAULT '{}',
        version     TEXT REFERENCES templates(version),
        page_number INTEGER,
        serial      INTEGER,
        rotation    INTEGER,
        identity_source TEXT,
        identity_confidence REAL,
        registration_error_mm REAL,
        confidence  REAL,
        respondent_id INTEGER REFERENCES respondents(id) ON DELETE SET NULL,
        duplicate_of INTEGER REFERENCES pages(id),  -- same serial and page scanned before
        image_path  TEXT,                           -- relative to the images folder
        image_kind  TEXT CHECK (image_kind IN ('normalised', 'scan')),
        dpi         REAL,
        ingest_method TEXT,
        read_at     TEXT NOT NULL,
        UNIQUE (file_id, page_index)
    );
    CREATE INDEX pages_identity ON pages (version, serial, page_number);
    CREATE INDEX pages_respondent ON pages (respondent_id);
    CREATE TABLE fields (
        id          INTEGER PRIMARY KEY,
        page_id     INTEGER NOT NULL REFERENCES pages(id),
        field_id    TEXT NOT NULL,
        value       TEXT,                           -- JSON: string, list of strings, number, null
        confidence  REAL NOT NULL,
        status      TEXT NOT NULL,                  -- scanner.results.FieldStatus
        reason      TEXT NOT NULL DEFAULT '',
        crop_x REAL, crop_y REAL, crop_w REAL, crop_h REAL,   -- template millimetres
        scores      TEXT NOT NULL DEFAULT '{}',
        needs_review INTEGER NOT NULL DEFAULT 0,
        revision    INTEGER NOT NULL DEFAULT 0,     -- bumped by every change: optimistic locking
        reviewed_by TEXT,
        reviewed_at TEXT,
        UNIQUE (page_id, field_id)
    );
    CREATE INDEX fields_review ON fields (needs_review, confidence);
    CREATE TABLE change_log (
        id          INTEGER PRIMARY KEY,
        at          TEXT NOT NULL,
        who         TEXT NOT NULL,
        entity      TEXT NOT NULL,                  -- 'field', 'page', ...
        entity_id   INTEGER NOT NULL,
        column_name TEXT NOT NULL,
        old_value   TEXT,
        new_value   TEXT
    );
    CREATE INDEX change_log_entity ON change_log (entity, entity_id);
    CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
    BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END;
    CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log
    BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END;
    """,
    # 2 -- review desk: clerk accounts; transcriptions of written free-text fields
    """
    CREATE TABLE users (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,                -- argon2id (argon2-cffi PasswordHasher)
        active      INTEGER NOT NULL DEFAULT 1,
        created_at  TEXT NOT NULL
    );
    ALTER TABLE fields ADD COLUMN text TEXT;        -- a clerk's transcription (written fields)
    ALTER TABLE fields ADD COLUMN transcribed INTEGER NOT NULL DEFAULT 0;  -- 1 when finished
    CREATE INDEX fields_transcribe ON fields (status, transcribed);
    """,
    # 3 -- respondents a clerk split or merged keep their pages when pages are regrouped
    """
    ALTER TABLE respondents ADD COLUMN manual INTEGER NOT NULL DEFAULT 0;  -- 1: pages set by a clerk
    """,
    # 4 -- a page image may be the scan itself, kept with the map that makes it upright
    """
    ALTER TABLE pages ADD COLUMN warp TEXT;  -- scanner.page_images.PageWarp (JSON) or NULL
    """,
)


def current_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database up to the newest step; returns the version reached.

    Raises ValueError when the database was written by a newer palaute.
    """
    version = current_version(conn)
    if version > len(STEPS):
        raise ValueError(f"database schema {version} is newer than this program ({len(STEPS)})")
    for number, sql in enumerate(STEPS[version:], start=version + 1):
        # executescript() commits first, so each step runs in an explicit transaction of its own.
        conn.executescript(
            "BEGIN;\n"
            + sql
            + f"\nINSERT INTO schema_version VALUES ({number}, '{_now()}');"
            + f"\nPRAGMA user_version = {number};\nCOMMIT;"
        )
    return len(STEPS)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
