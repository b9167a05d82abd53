from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYOUTS = ROOT / "layouts"
SEED_FORM = LAYOUTS / "asiakaspalautekysely.yaml"


@pytest.fixture(scope="session")
def seed_layout():
    from forms.api import build

    return build(SEED_FORM)


@pytest.fixture(scope="session")
def seed_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed questionnaire printed as two serialised copies."""
    from forms.api import print_form

    out = tmp_path_factory.mktemp("print") / "form.pdf"
    print_form(SEED_FORM, out, copies=2, serials=True)
    return out
