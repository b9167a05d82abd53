"""The filled-scan generator with ground truth: the harness every accuracy claim is measured with.

``generate()`` writes a scanned batch (PDF/TIFF/images) and ``truth.json``; ``Batch.pages()`` and
``iter_pages()`` stream page images with their truth without writing files.  See docs/samples.md.
"""

from __future__ import annotations

from samples.generate import Batch, SamplePage, generate, iter_pages, write_batch
from samples.truth import FieldTruth, GroundTruth, PageTruth, RespondentTruth

__all__ = [
    "Batch",
    "FieldTruth",
    "GroundTruth",
    "PageTruth",
    "RespondentTruth",
    "SamplePage",
    "generate",
    "iter_pages",
    "write_batch",
]
