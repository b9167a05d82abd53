"""The docs show what the code does: their examples are run."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from forms.layout import layout_form
from forms.pageid import PageId
from forms.spec import load_spec
from forms.template import Field, Template

from .conftest import ROOT

DOCS = ROOT / "docs"


def test_spec_doc_example_is_a_valid_form(tmp_path: Path) -> None:
    text = (DOCS / "spec.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert example
    path = tmp_path / "example.yaml"
    path.write_text(example.group(1), encoding="utf-8")
    spec = load_spec(path)
    ids = [f.id for f in layout_form(spec).template.fields()]
    for documented in ("q1", "q1_muu", "q3", "q3_lisatieto", "q4_aukioloajat", "q5"):
        assert documented in ids


def test_template_doc_names_every_key() -> None:
    text = (DOCS / "template.md").read_text(encoding="utf-8")
    for name in [f.name for f in dataclasses.fields(Template)] + [
        f.name for f in dataclasses.fields(Field)
    ]:
        if name in {"fields"}:
            continue
        assert f'"{name}"' in text or f"`{name}`" in text, name
    example = re.search(r"`(P1\.[0-9A-F]{8}\.\d+\.\d+)`", text)
    assert example and PageId.decode(example.group(1)).serial == 17


def test_spec_doc_kind_examples_print(tmp_path: Path) -> None:
    from forms.api import print_form

    text = (DOCS / "spec.md").read_text(encoding="utf-8")
    examples = [e for e in re.findall(r"```yaml\n(.*?)```", text, re.S) if "kind:" in e]
    assert len(examples) >= 3
    for n, example in enumerate(examples):
        path = tmp_path / f"kind{n}.yaml"
        path.write_text(example, encoding="utf-8")
        printed = print_form(path, tmp_path / f"kind{n}.pdf")
        assert printed.template.kind in example


def test_scanner_doc_explains_every_reason_a_clerk_can_see() -> None:
    """Every reason the reader or the scan gives a page or field is in docs/scanner.md."""
    import json

    text = (DOCS / "scanner.md").read_text(encoding="utf-8")
    locale = ROOT / "palaute" / "locale" / "en"
    reader = json.loads((locale / "reader.json").read_text(encoding="utf-8"))
    scan = json.loads((locale / "scan.json").read_text(encoding="utf-8"))
    keys = list(reader) + [k for k in scan if k.startswith("scanner.input.")]
    keys += ["scanner.reader_failed", "scanner.reader_crashed"]
    missing = [k for k in keys if f"`{k}`" not in text]
    assert not missing, missing
