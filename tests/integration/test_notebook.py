"""The walkthrough notebook: committed without outputs, and runs top to bottom against ../shared.

The execution test runs the notebook in a kernel of *this* interpreter (a kernel spec
written to a temporary Jupyter path, so a user's own ``python3`` kernel can never be
picked up), with ``LUNGE_SCREEN_DATA_DIR`` and ``LUNGE_SCREEN_MODEL_DIR`` pointing at
../shared. Without ../shared it skips on a developer's machine and fails under ``CI=true``.

To strip outputs before committing a notebook you ran::

    .venv/bin/python -c "import nbformat as n, sys; p = sys.argv[1]; nb = n.read(p, 4); \\
[c.update(outputs=[], execution_count=None) for c in nb.cells if c.cell_type == 'code']; n.write(nb, p)" NOTEBOOK
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import MODELS, VIDEOS

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
WALKTHROUGH = ROOT / "notebooks" / "screening_walkthrough.ipynb"
CELL_TIMEOUT_S = 600
#: Pages other contributors are writing; a link to them may dangle until they land.
PENDING = {ROOT / "docs" / "validation.md", ROOT / "benchmarks" / "RESULTS.md"}


def test_walkthrough_exists():
    assert WALKTHROUGH in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        assert "execution" not in cell.get("metadata", {}), f"cell {i}: execution timing metadata"
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {i} has outputs: strip them before committing"
            assert cell.execution_count is None, f"cell {i} has an execution count: strip it"
    assert "widgets" not in nb.metadata


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_relative_links_resolve(path):
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for target in re.findall(r"\]\((?!https?://|#)([^)#\s]+)", text):
        resolved = (path.parent / target).resolve()
        assert resolved in PENDING or resolved.exists(), f"{path.name}: broken link {target}"


@pytest.fixture
def venv_kernel(tmp_path, monkeypatch) -> str:
    """A kernel spec that runs this very interpreter, on a Jupyter path searched first."""
    name = "lunge-screen-test"
    spec_dir = tmp_path / "jupyter" / "kernels" / name
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "lunge-screen tests",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    return name


@pytest.mark.shared
def test_walkthrough_runs_top_to_bottom(shared, venv_kernel, tmp_path, monkeypatch):
    from nbclient import NotebookClient

    monkeypatch.setenv("LUNGE_SCREEN_DATA_DIR", str(VIDEOS))
    monkeypatch.setenv("LUNGE_SCREEN_MODEL_DIR", str(MODELS))
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the notebook's outputs go to tempfile.mkdtemp()
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    work = tmp_path / "work"
    work.mkdir()

    nb = nbformat.read(WALKTHROUGH, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=venv_kernel,
        timeout=CELL_TIMEOUT_S,
        allow_errors=False,
        resources={"metadata": {"path": str(work)}},
    )
    client.execute()  # raises CellExecutionError, with the cell and traceback, on any error

    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    figures = [o for o in outputs if o.get("output_type") == "display_data" and "image/png" in o.get("data", {})]
    assert len(figures) >= 2, "the notebook should draw the per-leg time series and the leg comparison"
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "without the pose model" in text
    assert not any(work.iterdir()), "the notebook must not write into its working folder"
    written = list(tmp_path.glob("lunge-screen-walkthrough-*/landmarks.npz"))
    assert len(written) == 1
    assert not WALKTHROUGH.with_suffix(".nbconvert.ipynb").exists()
