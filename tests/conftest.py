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


@pytest.fixture(scope="session")
def cheap_argon2():
    """Fast argon2 parameters for tests (the desk's own are deliberately slow)."""
    from argon2 import PasswordHasher

    from palaute.store import accounts

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
        yield


@pytest.fixture(scope="session")
def review_master(tmp_path_factory: pytest.TempPathFactory, seed_pdf: Path, cheap_argon2):
    """A survey with flagged fields, a written free-text field and one clerk, built once."""
    from .review_survey import build, rasterise

    return build(tmp_path_factory.mktemp("review"), seed_pdf, rasterise(seed_pdf, 2))


@pytest.fixture
def review_survey(tmp_path: Path, review_master, cheap_argon2):
    """A fresh copy of the review survey (database and page images) for one test."""
    import dataclasses
    import shutil

    source = review_master.path
    target = tmp_path / source.name
    shutil.copy2(source, target)
    images = source.with_name(f"{source.stem}.images")
    shutil.copytree(images, target.with_name(images.name))
    return dataclasses.replace(review_master, path=target)


@pytest.fixture(autouse=True)
def _language_restored():
    """A test that picks a language (``--lang``) leaves the next test the language it found."""
    from palaute import i18n

    before = i18n._current
    yield
    i18n._current = before
