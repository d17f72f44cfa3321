"""The layers of docs/architecture.md, as the import-linter contracts in pyproject.toml.

`scripts/test` runs `lint-imports` beside ruff; running it here as well makes a broken
contract fail pytest wherever pytest runs. The second test plants a backwards import in
a copy of the package, so a contract that checks nothing would be caught too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(cwd: Path, *, pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_every_import_keeps_the_layers() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_capability_importing_an_api_breaks_the_layers(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "src" / "rolodex", tmp_path / "src" / "rolodex")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    planted = tmp_path / "src" / "rolodex" / "tags" / "model.py"
    planted.write_text(planted.read_text() + "\nimport rolodex.api.rest.errors\n")

    result = _lint_imports(tmp_path, pythonpath=tmp_path / "src")

    assert result.returncode != 0
    assert "rolodex.tags is not allowed to import rolodex.api" in result.stdout
    assert "rolodex.tags.model -> rolodex.api.rest.errors" in result.stdout
