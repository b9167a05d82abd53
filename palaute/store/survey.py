"""The survey store: one SQLite file (plus a folder of page images) per survey.

Everything the scanner produced and everything a clerk changed lives here.  Writes are short
transactions; every change to a page or field after it was read goes through a method of
:class:`Survey` that writes the change log in the same transaction.  See docs/store.md.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from forms.template import Template, TemplateError
from palaute.errors import InputError, StoreError
from palaute.store import migrations, regroup
from palaute.store.reading import CARDS_KIND, SINGLE_PAGE_KINDS
from palaute.store.records import (
    ChangeRow,
    FieldRow,
    GroupingReport,
    PageRow,
    RespondentRow,
    ScanFileRow,
    SurveyCounts,
)
from scanner.page_images import PAGE_SUFFIX, write_image
from scanner.respondents import RespondentGroup, group_respondents
from scanner.results import FieldStatus, PageResult, PageStatus, Value

log = logging.getLogger(__name__)

DEFAULT_NAME = "survey.sqlite"
SYSTEM = "palaute"  # the "who" of changes made by the program itself
_FIELD_COLUMNS = ("value", "status", "needs_review")
_READ_STATUSES = frozenset({PageStatus.READ, PageStatus.FLAGGED})


class ConflictError(StoreError):
    """The record changed since it was read (optimistic locking): reload and try again."""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Survey:
    """An open survey database.  Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self.images_dir = path.with_name(f"{path.stem}.images")

    # -- opening ------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path | str = DEFAULT_NAME, *, create: bool = True) -> Survey:
        """Open (and, unless ``create`` is False, create) the survey at ``path``; migrate it."""
        path = Path(path).absolute()  # image paths are kept relative to the survey's folder
        if not create and not path.exists():
            raise StoreError("store.not_found", path=str(path))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, isolation_level=None, timeout=30.0)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            migrations.migrate(conn)
        except ValueError as exc:
            raise StoreError("store.too_new", path=str(path)) from exc
        except (sqlite3.Error, OSError) as exc:
            raise StoreError("store.cannot_open", path=str(path), error=str(exc)) from exc
        return cls(path, conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Survey:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE … COMMIT, rolled back on any exception)."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError("store.busy", path=str(self.path), error=str(exc)) from exc
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def schema_version(self) -> int:
        return migrations.current_version(self.conn)

    # -- forms and templates --------------------------------------------------------------------
    def add_template(self, template: Template, source: str = "") -> bool:
        """Store a form version; returns False when that version was already stored."""
        if not template.version:
            template = template.with_version()
        with self.transaction() as c:
            if c.execute(
                "SELECT 1 FROM templates WHERE version = ?", (template.version,)
            ).fetchone():
                return False
            c.execute(
                "INSERT INTO forms (form_id, title, language, kind) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (form_id) DO UPDATE SET title = excluded.title,"
                " language = excluded.language, kind = excluded.kind",
                (template.form_id, template.title, template.language, template.kind),
            )
            c.execute(
                "INSERT INTO templates (version, form_id, body, page_count, source, added_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    template.version,
                    template.form_id,
                    template.to_json(),
                    len(template.pages),
                    source,
                    now(),
                ),
            )
        log.info("form %s version %s stored", template.form_id, template.version)
        return True

    def register_pdf(self, pdf_path: Path | str) -> Template:
        """Store the template attached (as ``template.json``) to a printed form's PDF, and the
        form's blank pages (the reader compares scans with them, see :meth:`blank_pages`)."""
        from palaute.store.attachments import blank_pages_pdf, card_blanks_pdf, template_from_pdf

        path = Path(pdf_path)
        template = template_from_pdf(path)
        # checked before anything is stored
        if template.kind == CARDS_KIND:
            blank = card_blanks_pdf(path, template)  # several cards share a printed sheet
        else:
            blank = blank_pages_pdf(path, len(template.pages))
        self.add_template(template, source=str(path))
        with self.transaction() as c:
            c.execute(
                "INSERT OR IGNORE INTO template_blanks (version, pdf) VALUES (?, ?)",
                (template.version, blank),
            )
        return template

    def blank_pdf(self, version: str) -> bytes | None:
        """The unfilled pages 1..n of a form version as printed (a small PDF), if known.

        Known for forms registered from their printed PDF, not for bare template JSON files.
        """
        row = self.conn.execute(
            "SELECT pdf FROM template_blanks WHERE version = ?", (version,)
        ).fetchone()
        return bytes(row["pdf"]) if row else None

    def blank_pages(self, version: str, dpi: float) -> dict[int, np.ndarray]:
        """The form's unfilled pages rendered at ``dpi`` (page number → greyscale uint8 image);
        empty when the blank pages are not known (see :meth:`blank_pdf`)."""
        from palaute.store.attachments import render_pages

        data = self.blank_pdf(version)
        if data is None:
            return {}
        rendered = render_pages(data, dpi)
        # The blank PDF holds the template's pages in order; page numbers need not be 1..n
        # (feedback cards are numbered 100 × sheet + slot).
        row = self.conn.execute("SELECT body FROM templates WHERE version = ?", (version,))
        found = row.fetchone()
        numbers = [p.number for p in Template.from_json(found["body"]).pages] if found else []
        if len(numbers) != len(rendered):
            return rendered
        return {number: rendered[index + 1] for index, number in enumerate(numbers)}

    def register_json(self, json_path: Path | str) -> Template:
        """Store a template JSON file."""
        path = Path(json_path)
        if not path.is_file():
            raise InputError("scanner.input.not_found", file=str(path))
        try:
            template = Template.load(path)
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError("store.template_unreadable", file=str(path), error=str(exc)) from exc
        except TemplateError as exc:
            raise InputError("store.template_invalid", file=str(path), error=str(exc)) from exc
        template = check_version(template, path)
        self.add_template(template, source=str(path))
        return template

    def templates(self) -> dict[str, Template]:
        """Every stored form version, by version hash."""
        rows = self.conn.execute("SELECT version, body FROM templates ORDER BY added_at, version")
        return {row["version"]: Template.from_json(row["body"]) for row in rows}

    # -- scan files -------------------------------------------------------------------------------
    def file_done(self, sha256: str) -> bool:
        """True when a file with this content was read to the end before.

        A rejected file is not done: it is tried (and reported) again next time.
        """
        row = self.conn.execute(
            "SELECT status FROM scan_files WHERE sha256 = ?", (sha256,)
        ).fetchone()
        return row is not None and row["status"] == "done"

    def scan_file(self, sha256: str) -> ScanFileRow | None:
        row = self.conn.execute("SELECT * FROM scan_files WHERE sha256 = ?", (sha256,)).fetchone()
        return ScanFileRow.from_row(row) if row else None

    def scan_files(self) -> list[ScanFileRow]:
        rows = self.conn.execute("SELECT * FROM scan_files ORDER BY id")
        return [ScanFileRow.from_row(r) for r in rows]

    def begin_file(self, path: Path | str, sha256: str, page_count: int | None) -> int:
        """Register a file about to be read (or find it again when resuming); returns its id."""
        with self.transaction() as c:
            row = c.execute("SELECT id FROM scan_files WHERE sha256 = ?", (sha256,)).fetchone()
            if row is not None:
                c.execute(
                    "UPDATE scan_files SET path = ?, page_count = COALESCE(?, page_count)"
                    " WHERE id = ?",
                    (str(path), page_count, row["id"]),
                )
                return int(row["id"])
            cur = c.execute(
                "INSERT INTO scan_files (path, sha256, page_count, status, added_at)"
                " VALUES (?, ?, ?, 'reading', ?)",
                (str(path), sha256, page_count, now()),
            )
            return int(cur.lastrowid or 0)

    def stored_pages(self, file_id: int) -> frozenset[int]:
        """Indexes of the file's pages already stored (skipped when a batch is resumed)."""
        rows = self.conn.execute("SELECT page_index FROM pages WHERE file_id = ?", (file_id,))
        return frozenset(int(r[0]) for r in rows)

    def finish_file(self, file_id: int) -> None:
        with self.transaction() as c:
            c.execute(
                "UPDATE scan_files SET status = 'done', finished_at = ? WHERE id = ?",
                (now(), file_id),
            )

    def reject_file(
        self, path: Path | str, sha256: str | None, key: str, params: dict[str, Any]
    ) -> int | None:
        """Record that a file could not be read at all.  Without a hash nothing can be stored."""
        if sha256 is None:
            return None
        file_id = self.begin_file(path, sha256, None)
        with self.transaction() as c:
            c.execute(
                "UPDATE scan_files SET status = 'rejected', error = ?, error_params = ?,"
                " finished_at = ? WHERE id = ?",
                (key, json.dumps(params, ensure_ascii=False, default=str), now(), file_id),
            )
        return file_id

    # -- pages ---------------------------------------------------------------------------------
    def image_file(self, sha256: str, page_index: int) -> Path:
        """Where the stored image of a file's page is kept (absolute)."""
        return self.images_dir / sha256[:16] / f"{page_index + 1:04d}{PAGE_SUFFIX}"

    def store_page(
        self,
        file_id: int,
        result: PageResult,
        image: np.ndarray | None = None,
        *,
        dpi: float | None = None,
        ingest_method: str | None = None,
        image_kind: str | None = None,
        warp: str | None = None,
    ) -> int:
        """Store one page's reading (page row + field rows, one transaction); returns the page id.

        ``image`` is the normalised page image, written as PNG under :attr:`images_dir`; when the
        image was already written (by a worker process), pass ``result.image_path`` instead, either
        absolute or relative to :attr:`images_dir`.  ``image_kind`` says what the image shows
        (``scanner.batch.ImageKind``: "normalised" by default when there is one, or "scan");
        ``warp`` (``scanner.page_images.PageWarp`` as JSON) says the image is the scan itself
        and how it becomes the normalised page.
        Storing a page twice keeps the first.
        """
        sha = self._file_sha(file_id)
        rel: str | None = None
        if image is not None:
            target = self.image_file(sha, result.index)
            write_image(target, image)
            rel = target.relative_to(self.images_dir).as_posix()
            image_kind = image_kind or "normalised"
        elif result.image_path:
            given = Path(result.image_path)
            rel = (
                given.relative_to(self.images_dir).as_posix()
                if given.is_absolute() and given.is_relative_to(self.images_dir)
                else given.as_posix()
            )
        ident = result.identity
        with self.transaction() as c:
            existing = c.execute(
                "SELECT id FROM pages WHERE file_id = ? AND page_index = ?",
                (file_id, result.index),
            ).fetchone()
            if existing is not None:
                return int(existing["id"])
            version = ident.version if ident is not None else None
            if version is not None and not self._has_version(c, version):
                if result.status in _READ_STATUSES:
                    raise StoreError("store.unknown_version", version=version)
                # A refused page of a form this survey does not have: keep what it said.
                log.info("page %d: form version %s is not in the survey", result.index, version)
                version = None
            cur = c.execute(
                "INSERT INTO pages (file_id, page_index, status, reason, reason_params, version,"
                " page_number, serial, rotation, identity_source, identity_confidence,"
                " registration_error_mm, confidence, image_path, image_kind, dpi, ingest_method,"
                " read_at, warp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    file_id,
                    result.index,
                    str(result.status),
                    result.reason,
                    json.dumps(result.reason_params, ensure_ascii=False, default=str),
                    version,
                    ident.page if ident else None,
                    ident.serial if ident else None,
                    ident.rotation if ident else None,
                    ident.source if ident else None,
                    ident.confidence if ident else None,
                    result.registration_error_mm,
                    result.confidence if (result.fields or ident) else None,
                    rel,
                    (image_kind or "normalised") if rel else None,
                    dpi,
                    ingest_method,
                    now(),
                    warp if rel and image is None else None,
                ),
            )
            page_id = int(cur.lastrowid or 0)
            c.executemany(
                "INSERT INTO fields (page_id, field_id, value, confidence, status, reason,"
                " crop_x, crop_y, crop_w, crop_h, scores, needs_review)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        page_id,
                        f.field_id,
                        _json(f.value),
                        f.confidence,
                        str(f.status),
                        f.reason,
                        *f.crop,
                        json.dumps(f.scores),
                        int(f.needs_review),
                    )
                    for f in result.fields
                ],
            )
        return page_id

    def page(self, page_id: int) -> PageRow:
        row = self.conn.execute("SELECT * FROM pages WHERE id = ?", (page_id,)).fetchone()
        if row is None:
            raise StoreError("store.no_such_page", page=page_id)
        return PageRow.from_row(row)

    def pages(
        self, *, status: PageStatus | None = None, respondent_id: int | None = None
    ) -> list[PageRow]:
        """Pages in scan order, optionally only those with a status or of one respondent."""
        sql, args = "SELECT * FROM pages WHERE 1", list[Any]()
        if status is not None:
            sql += " AND status = ?"
            args.append(str(status))
        if respondent_id is not None:
            sql += " AND respondent_id = ?"
            args.append(respondent_id)
        rows = self.conn.execute(sql + " ORDER BY file_id, page_index", args)
        return [PageRow.from_row(r) for r in rows]

    def update_page_identity(
        self,
        page_id: int,
        *,
        version: str,
        page_number: int,
        serial: int | None,
        who: str,
        status: PageStatus = PageStatus.FLAGGED,
    ) -> PageRow:
        """A clerk says which form page this is (for unidentified pages); logged.

        Respondents are regrouped by the next :meth:`assign_respondents`.
        """
        new = {
            "version": version,
            "page_number": page_number,
            "serial": serial,
            "status": str(status),
            "identity_source": "clerk",
        }
        with self.transaction() as c:
            row = c.execute("SELECT * FROM pages WHERE id = ?", (page_id,)).fetchone()
            if row is None:
                raise StoreError("store.no_such_page", page=page_id)
            if not c.execute("SELECT 1 FROM templates WHERE version = ?", (version,)).fetchone():
                raise StoreError("store.unknown_version", version=version)
            self._set_logged(c, "page", "pages", page_id, row, new, who)
        return self.page(page_id)

    # -- respondents --------------------------------------------------------------------------
    def assign_respondents(self, who: str = SYSTEM) -> GroupingReport:
        """(Re)group every page of the survey into respondents, in scan order.

        Idempotent: a respondent keeps its id as long as it keeps its serial (or, for copies
        grouped by order, its first page).  Respondents a clerk split or merged keep their pages
        (see :mod:`palaute.store.regroup`).  Moving an already grouped page is logged.
        """
        # Cards and posters are complete page by page: no missing pages are listed for them.
        counts = {
            r["version"]: r["page_count"]
            for r in self.conn.execute(
                "SELECT t.version, t.page_count, f.kind FROM templates t"
                " JOIN forms f ON f.form_id = t.form_id"
            )
            if r["kind"] not in SINGLE_PAGE_KINDS
        }
        with self.transaction() as c:
            slots = regroup.load_slots(c)
            position = {s.key: i for i, s in enumerate(slots)}
            pinned = regroup.pinned_pages(slots)
            grouping = group_respondents([s.ref for s in slots if s.key not in pinned], counts)
            pins = sorted(position[key] for key in pinned)
            auto = regroup.split_at_pins(grouping.respondents, position, pins, counts)
            manual = regroup.manual_groups(slots, pinned, counts)
            # A clerk's respondent left without pages is gone; its anchor page is free again.
            gone = [
                (r["id"],)
                for r in c.execute("SELECT id FROM respondents WHERE manual = 1")
                if r["id"] not in manual
            ]
            c.executemany("DELETE FROM respondents WHERE id = ?", gone)
            ordered: list[tuple[int, RespondentGroup, int | None]] = [
                (min(position[k] for k in g.pages.values()), g, None) for g in auto
            ] + [(min(position[k] for k in g.pages.values()), g, rid) for rid, g in manual.items()]
            ordered.sort(key=lambda item: item[0])
            ordinals: dict[str, int] = {}
            wanted: dict[int, int | None] = {s.key: None for s in slots}
            keep: set[int] = set()
            for first, group, manual_id in ordered:
                ordinals[group.version] = ordinals.get(group.version, 0) + 1
                missing = json.dumps(list(group.missing))
                if manual_id is not None:
                    rid = manual_id
                    c.execute(
                        "UPDATE respondents SET anchor_page = ?, ordinal = ?, missing_pages = ?"
                        " WHERE id = ?",
                        (slots[first].key, ordinals[group.version], missing, rid),
                    )
                else:
                    rid = self._auto_respondent(c, group, ordinals[group.version], missing)
                keep.add(rid)
                for key in group.pages.values():
                    wanted[key] = rid
            duplicate_of = {d.key: d.first for d in grouping.duplicates}
            stamp = now()
            for slot in slots:
                page_id, old_rid = slot.key, slot.respondent
                new_rid = wanted[page_id]
                if new_rid != old_rid:
                    c.execute("UPDATE pages SET respondent_id = ? WHERE id = ?", (new_rid, page_id))
                    if old_rid is not None:
                        self._log(c, stamp, who, "page", page_id, "respondent_id", old_rid, new_rid)
            for r in c.execute("SELECT id, duplicate_of FROM pages").fetchall():
                new_dup = duplicate_of.get(r["id"])
                if new_dup != r["duplicate_of"]:
                    c.execute("UPDATE pages SET duplicate_of = ? WHERE id = ?", (new_dup, r["id"]))
            stale = [
                r["id"] for r in c.execute("SELECT id FROM respondents") if r["id"] not in keep
            ]
            c.executemany("DELETE FROM respondents WHERE id = ?", [(i,) for i in stale])
        return GroupingReport(
            respondents=len(ordered),
            missing_pages=sum(len(g.missing) for _, g, _ in ordered),
            duplicates=len(grouping.duplicates),
            blanks=len(grouping.blanks),
            unplaced=len(grouping.unplaced),
        )

    @staticmethod
    def _auto_respondent(
        c: sqlite3.Connection, group: RespondentGroup, ordinal: int, missing: str
    ) -> int:
        """The id of the automatic respondent for ``group`` (found by serial or first page, or
        added), with its ordinal and missing pages brought up to date."""
        anchor = None if group.serial is not None else group.first_key
        found = c.execute(
            "SELECT id FROM respondents WHERE version = ? AND serial IS ? AND anchor_page IS ?",
            (group.version, group.serial, anchor),
        ).fetchone()
        if found is None:
            return int(
                c.execute(
                    "INSERT INTO respondents (version, serial, anchor_page, ordinal,"
                    " missing_pages) VALUES (?, ?, ?, ?, ?)",
                    (group.version, group.serial, anchor, ordinal, missing),
                ).lastrowid
                or 0
            )
        c.execute(
            "UPDATE respondents SET ordinal = ?, missing_pages = ? WHERE id = ?",
            (ordinal, missing, found["id"]),
        )
        return int(found["id"])

    def respondents(self, version: str | None = None) -> list[RespondentRow]:
        sql = "SELECT * FROM respondents"
        args: tuple[Any, ...] = ()
        if version is not None:
            sql += " WHERE version = ?"
            args = (version,)
        rows = self.conn.execute(sql + " ORDER BY version, ordinal", args)
        return [RespondentRow.from_row(r) for r in rows]

    def respondent_fields(self, respondent_id: int) -> dict[str, FieldRow]:
        """The respondent's fields by template field id (from all of their pages)."""
        rows = self.conn.execute(
            "SELECT f.* FROM fields f JOIN pages p ON p.id = f.page_id"
            " WHERE p.respondent_id = ? ORDER BY p.page_number, f.id",
            (respondent_id,),
        )
        return {r["field_id"]: FieldRow.from_row(r) for r in rows}

    # -- fields --------------------------------------------------------------------------------
    def field(self, field_pk: int) -> FieldRow:
        row = self.conn.execute("SELECT * FROM fields WHERE id = ?", (field_pk,)).fetchone()
        if row is None:
            raise StoreError("store.no_such_field", field=field_pk)
        return FieldRow.from_row(row)

    def page_fields(self, page_id: int) -> list[FieldRow]:
        rows = self.conn.execute("SELECT * FROM fields WHERE page_id = ? ORDER BY id", (page_id,))
        return [FieldRow.from_row(r) for r in rows]

    def flagged_fields(
        self, limit: int | None = None, version: str | None = None
    ) -> list[FieldRow]:
        """Fields waiting for a person, least confident first (the review queue's order)."""
        sql = "SELECT f.* FROM fields f JOIN pages p ON p.id = f.page_id WHERE f.needs_review = 1"
        args: list[Any] = []
        if version is not None:
            sql += " AND p.version = ?"
            args.append(version)
        sql += " ORDER BY f.confidence, p.file_id, p.page_index, f.id"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        return [FieldRow.from_row(r) for r in self.conn.execute(sql, args)]

    def update_field(
        self,
        field_pk: int,
        new_value: Value,
        new_status: FieldStatus,
        who: str,
        expected_revision: int,
        *,
        needs_review: bool = False,
    ) -> FieldRow:
        """Change a field's value and status (a clerk's decision), logging every changed column.

        Raises :class:`ConflictError` when the field's revision is no longer
        ``expected_revision`` (someone else changed it since it was read).
        """
        new = {
            "value": _json(new_value),
            "status": str(new_status),
            "needs_review": int(needs_review),
        }
        with self.transaction() as c:
            row = c.execute("SELECT * FROM fields WHERE id = ?", (field_pk,)).fetchone()
            if row is None:
                raise StoreError("store.no_such_field", field=field_pk)
            if row["revision"] != expected_revision:
                raise ConflictError(
                    "store.conflict", field=row["field_id"], revision=row["revision"]
                )
            stamp = now()
            for column in _FIELD_COLUMNS:
                if row[column] != new[column]:
                    self._log(c, stamp, who, "field", field_pk, column, row[column], new[column])
            c.execute(
                "UPDATE fields SET value = ?, status = ?, needs_review = ?,"
                " revision = revision + 1, reviewed_by = ?, reviewed_at = ?"
                " WHERE id = ? AND revision = ?",
                (
                    new["value"],
                    new["status"],
                    new["needs_review"],
                    who,
                    stamp,
                    field_pk,
                    expected_revision,
                ),
            )
        return self.field(field_pk)

    # -- change log and counts ----------------------------------------------------------------
    def change_log(
        self, entity: str | None = None, entity_id: int | None = None
    ) -> list[ChangeRow]:
        sql, args = "SELECT * FROM change_log WHERE 1", list[Any]()
        if entity is not None:
            sql += " AND entity = ?"
            args.append(entity)
        if entity_id is not None:
            sql += " AND entity_id = ?"
            args.append(entity_id)
        return [ChangeRow.from_row(r) for r in self.conn.execute(sql + " ORDER BY id", args)]

    def counts(self) -> SurveyCounts:
        c = self.conn
        by_status = {
            r[0]: r[1] for r in c.execute("SELECT status, count(*) FROM pages GROUP BY status")
        }
        return SurveyCounts(
            files=c.execute("SELECT count(*) FROM scan_files").fetchone()[0],
            files_rejected=c.execute(
                "SELECT count(*) FROM scan_files WHERE status = 'rejected'"
            ).fetchone()[0],
            pages=sum(by_status.values()),
            pages_by_status=by_status,
            respondents=c.execute("SELECT count(*) FROM respondents").fetchone()[0],
            fields=c.execute("SELECT count(*) FROM fields").fetchone()[0],
            fields_flagged=c.execute(
                "SELECT count(*) FROM fields WHERE needs_review = 1"
            ).fetchone()[0],
        )

    # -- internals -----------------------------------------------------------------------------
    @staticmethod
    def _has_version(c: sqlite3.Connection, version: str) -> bool:
        row = c.execute("SELECT 1 FROM templates WHERE version = ?", (version,)).fetchone()
        return row is not None

    def _file_sha(self, file_id: int) -> str:
        row = self.conn.execute("SELECT sha256 FROM scan_files WHERE id = ?", (file_id,)).fetchone()
        if row is None:
            raise StoreError("store.no_such_file", file=file_id)
        return str(row["sha256"])

    def _set_logged(
        self,
        c: sqlite3.Connection,
        entity: str,
        table: str,
        entity_id: int,
        row: sqlite3.Row,
        new: dict[str, Any],
        who: str,
    ) -> None:
        stamp = now()
        changed = {k: v for k, v in new.items() if row[k] != v}
        for column, value in changed.items():
            self._log(c, stamp, who, entity, entity_id, column, row[column], value)
        if changed:
            assignments = ", ".join(f"{column} = ?" for column in changed)
            c.execute(
                f"UPDATE {table} SET {assignments} WHERE id = ?", (*changed.values(), entity_id)
            )

    @staticmethod
    def _log(
        c: sqlite3.Connection,
        stamp: str,
        who: str,
        entity: str,
        entity_id: int,
        column: str,
        old: Any,
        new: Any,
    ) -> None:
        c.execute(
            "INSERT INTO change_log (at, who, entity, entity_id, column_name, old_value, new_value)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (stamp, who, entity, entity_id, column, _text(old), _text(new)),
        )


def check_version(template: Template, source: Path) -> Template:
    """Fill in a missing version; refuse a template whose version does not match its content."""
    expected = template.content_hash()
    if not template.version:
        return template.with_version()
    if template.version != expected:
        raise InputError(
            "store.template_version_mismatch",
            file=str(source),
            version=template.version,
            expected=expected,
        )
    return template


def _json(value: Value) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
