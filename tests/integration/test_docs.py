"""The documentation stays true to the code: generated parts are current, names and links exist."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from synth import lunge_series

from lunge_screen.io.tables import REP_COLUMNS
from lunge_screen.pipeline import analyse_series

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = [*sorted(DOCS.glob("*.md")), ROOT / "sample_videos" / "README.md", ROOT / "README.md"]


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_current():
    gen = _load(DOCS / "make_cli_reference.py")
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == gen.render(), (
        "docs/cli.md is out of date: run python docs/make_cli_reference.py"
    )


def test_settings_table_is_current():
    gen = _load(DOCS / "make_settings_reference.py")
    text = (DOCS / "measurement.md").read_text(encoding="utf-8")
    assert gen.updated(text) == text, "settings table out of date: run python docs/make_settings_reference.py"


def test_every_subcommand_is_documented():
    from lunge_screen.cli import build_parser

    sub = next(a for a in build_parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    cli_md = (DOCS / "cli.md").read_text(encoding="utf-8")
    for name in sub.choices:
        assert f"lunge-screen {name}" in cli_md


@pytest.mark.parametrize("page", [p for p in PAGES if p.exists()], ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(page):
    text = page.read_text(encoding="utf-8")
    for target in re.findall(r"\]\((?!https?://|#|mailto:)([^)#\s]+)", text):
        path = (page.parent / target).resolve()
        assert path.exists(), f"{page.relative_to(ROOT)}: broken link {target}"


def test_figures_exist():
    for p in (DOCS / "figures" / "sign_conventions.svg", DOCS / "figures" / "views.svg"):
        assert p.is_file() and p.stat().st_size > 1000
    assert (ROOT / "sample_videos" / "camera_setup.svg").is_file()


def test_every_warning_code_is_documented():
    codes = set()
    for src in (ROOT / "lunge_screen").rglob("*.py"):
        codes |= set(re.findall(r'QualityWarning\(\s*"([a-z_]+)"', src.read_text(encoding="utf-8")))
    assert codes, "no warning codes found: has QualityWarning moved?"
    text = (DOCS / "measurement.md").read_text(encoding="utf-8")
    missing = sorted(c for c in codes if f"`{c}`" not in text)
    assert not missing, f"warning codes not described in docs/measurement.md: {missing}"


def test_every_output_column_is_documented():
    schema = (DOCS / "schema.md").read_text(encoding="utf-8")
    for col in REP_COLUMNS:
        assert f"`{col}`" in schema, f"reps.csv column {col} missing from docs/schema.md"
    table = analyse_series(lunge_series(["left", "right"])).frame_table()
    for col in table:
        generic = re.sub(r"^(left|right)_", "{leg}_", col)
        assert f"`{col}`" in schema or f"`{generic}`" in schema, f"frames.csv column {col} missing from docs/schema.md"


def test_every_session_field_is_documented():
    import dataclasses

    from lunge_screen.results import Asymmetry, Finding, InputInfo, LegMeasures, LegSummary, Rep, SessionResult

    schema = (DOCS / "schema.md").read_text(encoding="utf-8")
    for cls in (SessionResult, Rep, LegMeasures, LegSummary, Asymmetry, Finding, InputInfo):
        for f in dataclasses.fields(cls):
            assert f"`{f.name}`" in schema, f"{cls.__name__}.{f.name} missing from docs/schema.md"
