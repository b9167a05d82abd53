"""Reading one page: identify (QR), register (marks), read every field.

INTEGRATION POINT.  This module is the per-page reader that ``scanner.batch`` runs in its worker
processes.  The version here is a placeholder that refuses every page with the reason
``scanner.reader_missing``, so that ingest, storing, respondents and exports work end to end
before the mark-reading stages land.  Replace the body of :func:`read_page`, keeping its signature:

* ``image``: 2-D uint8 greyscale page as scanned (any rotation), ``dpi`` its resolution;
* ``templates``: every form version of the survey, by version hash;
* ``config``: the reading thresholds (``scanner.config``), or None for the defaults.

It returns the page's :class:`~scanner.results.PageResult` and the normalised page image (upright,
in template coordinates, e.g. 200 dpi) or None when there is none (blank, rejected).  The batch
fills in ``source_file`` and ``index`` itself, and writes the normalised image to the store.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from forms.template import Template
from scanner.results import PageResult, PageStatus


def read_page(
    image: np.ndarray,
    dpi: float,
    templates: Mapping[str, Template],
    config: Any = None,
) -> tuple[PageResult, np.ndarray | None]:
    """Read one page (placeholder: refuses it, see the module docstring)."""
    return (
        PageResult(
            source_file="",
            index=0,
            status=PageStatus.REJECTED,
            reason="scanner.reader_missing",
        ),
        None,
    )
