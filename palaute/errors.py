"""Exit codes and the exception base every palaute package raises.

A leaf module: forms, scanner and samples may import it (and palaute.i18n), nothing else from
palaute.  Each error carries a catalogue key and parameters, not an English sentence, so the CLI can
show it in the user's language, plus the exit code the CLI should end with.
"""

from __future__ import annotations

import enum
from typing import Any

from palaute import i18n


class ExitCode(enum.IntEnum):
    OK = 0
    INTERNAL = 1  # a bug: please report it
    USAGE = 2  # bad command line
    BAD_INPUT = 3  # an input file (layout, scan, template) could not be used
    FINISHED_WITH_REJECTIONS = 4  # the batch finished, but some pages were rejected
    STORE = 5  # the survey database could not be opened or written
    INTERRUPTED = 130


class PalauteError(Exception):
    """Base of every error meant for a person: one line, in their language, saying what to do."""

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(self, key: str, /, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(key)

    def message(self, lang: str | None = None) -> str:
        return i18n.t(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.message()


class InputError(PalauteError):
    """An input file cannot be used as it is; the message names the file and what to fix."""

    exit_code = ExitCode.BAD_INPUT


class StoreError(PalauteError):
    exit_code = ExitCode.STORE
