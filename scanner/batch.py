"""Reading a batch of scan files: ingest in this process, read pages in a pool, store as they come.

The parent streams pages out of the files (``scanner.ingest``), hands each to a worker process
running the per-page reader (``scanner.read_page.read_page`` unless a test passes another), and
gives every result to a :class:`PageSink` (the survey store) as soon as it arrives.  At most
``lookahead`` pages are in flight, so memory does not grow with the batch.

Restarting a batch that was killed is safe: files read to the end are recognised by their content
hash and skipped; in a file read half-way, the pages already stored are skipped undecoded.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import multiprocessing
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np

from forms.template import Template
from palaute.errors import InputError, PalauteError
from scanner.ingest import Encoded, SourcePage, decode, file_sha256, iter_pages, page_count
from scanner.page_images import PageWarp, source_suffix, write_bytes, write_image
from scanner.results import PageResult, PageStatus

log = logging.getLogger(__name__)


class Reader(Protocol):
    """The per-page reader's shape: ``scanner.read_page.read_page``.

    It returns the page's result and its normalised image: an array, or anything
    ``np.asarray`` turns into one (the reader's ``UprightPage``), or None.
    ``templates`` is what the caller gave ``run_batch`` (the reader's own set of forms, a mapping
    version → Template); ``config`` is omitted when the caller gave None.
    """

    def __call__(
        self, image: np.ndarray, dpi: float, templates: Any, config: Any = ..., /
    ) -> tuple[PageResult, Any]: ...


Progress = Callable[[int], None]
# Store errors meaning "this reading does not fit the survey" rather than "the store is broken".
UNSTORABLE_READING = frozenset({"store.unknown_version"})


class PageSink(Protocol):
    """Where the batch keeps its results (``palaute.store.Survey`` implements it)."""

    def file_done(self, sha256: str) -> bool: ...

    def begin_file(self, path: Path | str, sha256: str, page_count: int | None) -> int: ...

    def stored_pages(self, file_id: int) -> frozenset[int]: ...

    def image_file(self, sha256: str, page_index: int) -> Path: ...

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
    ) -> int: ...

    def finish_file(self, file_id: int) -> None: ...

    def reject_file(
        self, path: Path | str, sha256: str | None, key: str, params: dict[str, Any]
    ) -> int | None: ...


@dataclass(frozen=True)
class Rejection:
    """A file or page that could not be used: catalogue key plus its parameters."""

    file: str
    page: int | None  # 1-based page number in the file; None when the whole file was refused
    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class BatchReport:
    files: int = 0  # files given
    files_skipped: int = 0  # read completely before (same content hash)
    pages_stored: int = 0  # pages stored by this run
    pages_resumed: int = 0  # pages already stored by an interrupted run, not read again
    fields_flagged: int = 0
    pages_by_status: Counter[str] = field(default_factory=Counter)
    file_rejections: list[Rejection] = field(default_factory=list)
    page_rejections: list[Rejection] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return bool(self.file_rejections or self.page_rejections)


@dataclass(frozen=True)
class _Task:
    file_id: int
    source: str
    index: int
    image: np.ndarray | None  # None: the page is still ``encoded``, the worker decodes it
    dpi: float
    method: str  # how ingest obtained the image (SourcePage.method)
    image_target: str  # where the worker writes the page image
    encoded: Encoded | None = None

    @property
    def size(self) -> int:
        """Bytes this task holds (and sends to a reader process)."""
        if self.image is not None:
            return int(self.image.nbytes)
        return len(self.encoded.data) if self.encoded is not None else 0


class ImageKind:
    """What the stored page image shows."""

    NORMALISED = "normalised"  # upright, in template coordinates (the reader's output), or
    # the scan itself with the map that makes it so (a PageWarp stored with the page)
    SCAN = "scan"  # the page as scanned, at most SCAN_IMAGE_DPI: for pages the reader could not
    # normalise but a clerk must look at (unidentified, rejected by the reader)


SCAN_IMAGE_DPI = 150
_KEEP_SCAN_FOR = frozenset({PageStatus.UNIDENTIFIED, PageStatus.REJECTED, PageStatus.FLAGGED})
# Pages decoded by the parent (TIFF, PNG, JPEG files, rendered PDF pages) are sent whole: at most
# this many bytes of them wait for a reader process, besides the pages being read.
LOOKAHEAD_BYTES = 48_000_000


@dataclass(frozen=True)
class Outcome:
    result: PageResult
    image_kind: str | None  # ImageKind of its stored image
    dpi: float  # of the page as decoded
    method: str  # how the page image was obtained (SourcePage.method)
    warp: str | None = None  # PageWarp (JSON) when the stored image is the scan itself


class _Reading:
    """The per-page work, the same in a worker process and in-process (``jobs=1``)."""

    def __init__(self, reader: Reader, templates: Mapping[str, Template], config: Any) -> None:
        self.reader = reader
        self.templates = templates
        self.config = config

    def __call__(self, task: _Task) -> Outcome:
        image, dpi, method = task.image, task.dpi, task.method
        embedded = task.encoded  # the page's own compressed bytes, while they are what is read
        if image is None:
            page = SourcePage(
                Path(task.source), task.index, None, dpi, method, encoded=task.encoded
            )
            try:
                page = decode(page)
            except Exception as exc:  # a decoder bug must not stop the batch
                log.exception("decoding %s page %d failed", task.source, task.index + 1)
                page = dataclasses.replace(
                    page,
                    error="scanner.input.unexpected",
                    error_params={"file": task.source, "error": f"{type(exc).__name__}: {exc}"},
                )
            if not page.ok or page.image is None:
                refused = PageResult(
                    source_file=task.source,
                    index=task.index,
                    status=PageStatus.REJECTED,
                    reason=page.error or "scanner.input.page_unreadable",
                    reason_params=dict(page.error_params),
                )
                return Outcome(refused, None, task.dpi, "")
            image, dpi, method = page.image, page.dpi, page.method
            if method != task.method:  # rendered instead: the bytes are not this image
                embedded = None
        normalised: Any = None  # an array, or the reader's UprightPage (np.asarray: the page)
        try:
            if self.config is None:  # the reader's own defaults
                result, normalised = self.reader(image, dpi, self.templates)
            else:
                result, normalised = self.reader(image, dpi, self.templates, self.config)
        except Exception as exc:  # a bug in the reader must not stop the batch
            log.exception("reading %s page %d failed", task.source, task.index + 1)
            result = PageResult(
                source_file=task.source,
                index=task.index,
                status=PageStatus.REJECTED,
                reason="scanner.reader_failed",
                reason_params={"error": f"{type(exc).__name__}: {exc}"},
            )
        target = Path(task.image_target)
        kind: str | None = None
        warp: PageWarp | None = None
        suffix = source_suffix(embedded.data) if embedded is not None else None
        if normalised is not None and result.warp is not None and embedded and suffix:
            # The scan as it came, with the map that makes it the normalised page: nothing to
            # encode (see scanner.page_images).
            target = target.with_suffix(suffix)
            warp = PageWarp(
                result.warp, (normalised.shape[1], normalised.shape[0]), embedded.rotate
            )
            write_bytes(target, embedded.data)
            kind = ImageKind.NORMALISED
        elif normalised is not None:
            write_image(target, np.asarray(normalised))
            kind = ImageKind.NORMALISED
        elif result.status in _KEEP_SCAN_FOR:
            write_image(target, _reduced(image, dpi))
            kind = ImageKind.SCAN
        result = dataclasses.replace(
            result,
            source_file=task.source,
            index=task.index,
            image_path=str(target) if kind else None,
            warp=None,
        )
        return Outcome(result, kind, dpi, method, warp.to_json() if warp else None)


def _reduced(image: np.ndarray, dpi: float) -> np.ndarray:
    """The scan at no more than SCAN_IMAGE_DPI (enough for a clerk to see what it is)."""
    if dpi <= SCAN_IMAGE_DPI:
        return image
    import cv2

    scale = SCAN_IMAGE_DPI / dpi
    size = (max(1, round(image.shape[1] * scale)), max(1, round(image.shape[0] * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


_worker: _Reading | None = None


PARENT_CHECK_SECONDS = 1.0  # how often a reader process checks that its scan still runs


def _init_worker(reader: Reader, templates: Mapping[str, Template], config: Any) -> None:
    import signal

    import cv2

    cv2.setNumThreads(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _end_with_parent(os.getppid())
    global _worker
    _worker = _Reading(reader, templates, config)


def _end_with_parent(parent: int) -> None:
    """A reader process must not outlive its scan: when the scan is killed (SIGKILL, a closed
    terminal), its pool cannot tell the workers, which would wait for work for ever."""
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _work(task: _Task) -> Outcome:
    assert _worker is not None, "worker not initialised"
    return _worker(task)


@dataclass
class _FileState:
    path: Path
    sha256: str | None = None
    file_id: int | None = None
    pending: int = 0
    exhausted: bool = False
    failed: bool = False  # rejected, or pages lost to a crashed worker: not finished


@dataclass(frozen=True)
class _InFlight:
    state: _FileState
    task: _Task
    outcome: Future[Outcome] | Outcome  # already the outcome when reading in-process
    executor: ProcessPoolExecutor | None  # the pool running it


T = TypeVar("T")


def _guarded(path: Path, action: Callable[[], T]) -> T:
    """Run an ingest step; an unexpected failure (a bug, or a file nobody foresaw) becomes an
    InputError for that file, so that the rest of the batch is still read."""
    try:
        return action()
    except (InputError, MemoryError):
        raise
    except Exception as exc:
        log.exception("reading %s failed unexpectedly", path)
        raise InputError(
            "scanner.input.unexpected", file=str(path), error=f"{type(exc).__name__}: {exc}"
        ) from exc


def _guarded_pages(path: Path, skip: frozenset[int]) -> Iterator[SourcePage]:
    pages = _guarded(path, functools.partial(iter_pages, path, skip=skip, defer=True))
    while True:
        page = _guarded(path, functools.partial(next, pages, None))
        if page is None:
            return
        yield page


def _pages_or_zero(path: Path) -> int:
    try:
        return page_count(path)
    except InputError:
        return 0


def _read_page(
    image: np.ndarray, dpi: float, templates: Any, *config: Any
) -> tuple[PageResult, Any]:
    """``scanner.read_page.read_page``, imported where pages are read: the batch's parent
    process, which only sends the reader to its reader processes, need not load OpenCV, zbar
    and the reader's modules."""
    from scanner.read_page import read_page

    return read_page(image, dpi, templates, *config)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def run_batch(
    files: Sequence[Path],
    sink: PageSink,
    templates: Mapping[str, Template],
    *,
    jobs: int = 1,
    reader: Reader | None = None,
    config: Any = None,
    lookahead: int | None = None,
    progress: Progress | None = None,
) -> BatchReport:
    """Read every page of ``files`` and store each result in ``sink``; returns what happened.

    ``jobs`` worker processes read pages (1: in this process).  ``reader`` defaults to
    ``scanner.read_page.read_page``; it must be a module-level function (it is sent to the
    workers).  ``progress`` is called with a number of pages done (stored or skipped).
    """
    if reader is None:
        reader = _read_page
    return _Batch(files, sink, templates, jobs, reader, config, lookahead, progress).run()


class _Batch:
    def __init__(
        self,
        files: Sequence[Path],
        sink: PageSink,
        templates: Mapping[str, Template],
        jobs: int,
        reader: Reader,
        config: Any,
        lookahead: int | None,
        progress: Progress | None,
    ) -> None:
        self.files = list(files)
        self.sink = sink
        self.templates = templates
        self.jobs = max(1, jobs)
        self.reader = reader
        self.config = config
        self.lookahead = max(1, lookahead if lookahead is not None else 2 * self.jobs)
        self.progress = progress or (lambda n: None)
        self.report = BatchReport(files=len(self.files))
        self.executor: ProcessPoolExecutor | None = None
        self.local: _Reading | None = None
        self.seen: set[str] = set()  # content hashes met in this batch (a file given twice)

    # -- driving ---------------------------------------------------------------------------
    def run(self) -> BatchReport:
        window: deque[_InFlight] = deque()
        waiting = 0  # bytes of the pages in the window
        try:
            for state, task in self._tasks():
                window.append(_InFlight(state, task, self._submit(task), self.executor))
                waiting += task.size
                state.pending += 1
                while window and (len(window) >= self.lookahead or waiting > LOOKAHEAD_BYTES):
                    done = window.popleft()
                    waiting -= done.task.size
                    self._collect(done)
            while window:
                self._collect(window.popleft())
        except KeyboardInterrupt:
            # Stop now: pages in flight are not stored, so a rerun reads them again.  Waiting for
            # them could take long on hard pages, and the clerk asked to stop.
            self._stop_workers()
            raise
        finally:
            if self.executor is not None:
                self.executor.shutdown(wait=True, cancel_futures=True)
        return self.report

    def _stop_workers(self) -> None:
        if self.executor is None:
            return
        # ProcessPoolExecutor has no public way to end running work; its processes are ended
        # directly (they ignore Ctrl-C themselves, see _init_worker).
        for process in list(getattr(self.executor, "_processes", {}).values()):
            process.terminate()
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = None

    def _submit(self, task: _Task) -> Future[Outcome] | Outcome:
        if self.jobs == 1:
            if self.local is None:
                self.local = _Reading(self.reader, self.templates, self.config)
            return self.local(task)
        if self.executor is None:
            self.executor = self._new_pool()
        try:
            return self.executor.submit(_work, task)
        except BrokenProcessPool:
            # A worker died before its result was collected: the pages in flight on the old
            # pool are reported when collected; this page goes to a new pool.
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = self._new_pool()
            return self.executor.submit(_work, task)

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(self.reader, self.templates, self.config),
        )

    def _collect(self, item: _InFlight) -> None:
        state, task, outcome = item.state, item.task, item.outcome
        state.pending -= 1
        try:
            done = outcome.result() if isinstance(outcome, Future) else outcome
        except BrokenProcessPool:
            # A worker died (crash, out of memory).  The page is not stored, so the file stays
            # unfinished and a rerun reads it again; a fresh pool serves the rest of the batch.
            log.error("a reader process died on %s page %d", task.source, task.index + 1)
            self.report.page_rejections.append(
                Rejection(task.source, task.index + 1, "scanner.reader_crashed")
            )
            state.failed = True
            if item.executor is not None and item.executor is self.executor:
                self.executor.shutdown(wait=False, cancel_futures=True)
                self.executor = None
            self._maybe_finish(state)
            return
        self._store(
            state,
            done.result,
            dpi=done.dpi,
            method=done.method,
            image_kind=done.image_kind,
            warp=done.warp,
        )
        self._maybe_finish(state)

    def _store(
        self,
        state: _FileState,
        result: PageResult,
        *,
        dpi: float,
        method: str = "",
        image_kind: str | None = None,
        warp: str | None = None,
    ) -> None:
        assert state.file_id is not None
        file_id = state.file_id

        def store(result: PageResult) -> None:
            self.sink.store_page(
                file_id,
                result,
                dpi=dpi,
                ingest_method=method or None,
                image_kind=image_kind,
                warp=warp,
            )

        try:
            store(result)
        except PalauteError as exc:
            if exc.key not in UNSTORABLE_READING:
                raise
            # The reading cannot be stored as it is (a form version the survey lacks): keep
            # the page, refused with the reason, so that the batch goes on.
            log.info("%s page %d not stored as read: %s", state.path, result.index + 1, exc.key)
            result = PageResult(
                source_file=result.source_file,
                index=result.index,
                status=PageStatus.REJECTED,
                reason=exc.key,
                reason_params=dict(exc.params),
                image_path=result.image_path,
            )
            store(result)
        self.report.pages_stored += 1
        self.report.pages_by_status[str(result.status)] += 1
        self.report.fields_flagged += sum(1 for f in result.fields if f.needs_review)
        if result.status == PageStatus.REJECTED:
            self.report.page_rejections.append(
                Rejection(str(state.path), result.index + 1, result.reason, result.reason_params)
            )
        self.progress(1)

    def _maybe_finish(self, state: _FileState) -> None:
        if state.exhausted and state.pending == 0 and not state.failed and state.file_id:
            self.sink.finish_file(state.file_id)

    # -- producing -------------------------------------------------------------------------
    def _tasks(self) -> Iterator[tuple[_FileState, _Task]]:
        for path in self.files:
            state = _FileState(path)
            try:
                try:
                    state.sha256 = file_sha256(path)
                except OSError as exc:
                    raise InputError(
                        "scanner.input.unreadable", file=str(path), error=str(exc)
                    ) from exc
                if state.sha256 in self.seen or self.sink.file_done(state.sha256):
                    log.info("%s was read before, skipping", path)
                    self.report.files_skipped += 1
                    self.progress(_pages_or_zero(path))
                    continue
                self.seen.add(state.sha256)
                count = _guarded(path, functools.partial(page_count, path))
                state.file_id = self.sink.begin_file(path, state.sha256, count)
                stored = self.sink.stored_pages(state.file_id)
                if stored:
                    self.report.pages_resumed += len(stored)
                    self.progress(len(stored))
                for page in _guarded_pages(path, stored):
                    if not page.ok:
                        self._store_refused(state, page)
                        continue
                    yield state, self._task(state, page)
            except InputError as exc:
                log.info("%s refused: %s", path, exc.key)
                state.failed = True
                self.report.file_rejections.append(
                    Rejection(str(path), None, exc.key, dict(exc.params))
                )
                self.sink.reject_file(path, state.sha256, exc.key, dict(exc.params))
            state.exhausted = True
            self._maybe_finish(state)

    def _task(self, state: _FileState, page: SourcePage) -> _Task:
        assert state.file_id is not None and state.sha256 is not None and page.ok
        target = self.sink.image_file(state.sha256, page.index)
        return _Task(
            state.file_id,
            str(page.source),
            page.index,
            page.image,
            page.dpi,
            page.method,
            str(target),
            page.encoded,
        )

    def _store_refused(self, state: _FileState, page: SourcePage) -> None:
        result = PageResult(
            source_file=str(page.source),
            index=page.index,
            status=PageStatus.REJECTED,
            reason=page.error or "scanner.input.page_unreadable",
            reason_params=dict(page.error_params),
        )
        self._store(state, result, dpi=page.dpi)
